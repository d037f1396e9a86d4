"""The repair of the register's figures kept as rows (``CountyMembers``, kept by triggers - see
``membership.models.summaries``): recount them from the register. Idempotent: a second run finds them equal
and writes nothing. On PostgreSQL the member table is locked against writes (reads go on) for the recount, so
no change slips between the count and the rows written; at 1M members that is about a second."""

from __future__ import annotations

from django.db import connection, transaction

from membership.models import CountyMembers
from membership.selectors.summaries import member_counts_recounted, member_counts_summarized


def member_counts_rebuild() -> dict:
    """Make the summary rows equal a fresh count; {"checked": counties, "repaired": [county codes changed]}."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE membership_member IN SHARE MODE")
        counted = member_counts_recounted()
        held = member_counts_summarized()
        repaired = sorted(county for county in counted.keys() | held.keys() if counted.get(county) != held.get(county))
        for county in repaired:
            active, total = counted.get(county, (0, 0))
            CountyMembers.objects.update_or_create(county=county, defaults={"active": active, "total": total})
        CountyMembers.objects.filter(total=0, active=0).delete()
    return {"checked": len(counted), "repaired": repaired}
