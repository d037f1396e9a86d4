"""The repair of each station's latest activity date (``LastActivity``, kept by triggers - see
``stations.models.summaries``): recompute it from the activities. Idempotent: a second run finds the dates
equal and writes nothing. On PostgreSQL the activity table is locked against writes (reads go on) meanwhile."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Max

from stations.models import Activity, LastActivity


def last_activity_rebuild() -> dict:
    """Make every station's latest activity date equal a fresh reading; {"checked": n, "repaired": [ids]}."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE stations_activity IN SHARE MODE")
        latest = Activity.objects.order_by().values("station_id").annotate(latest=Max("date"))
        read = dict(latest.values_list("station_id", "latest"))
        held = dict(LastActivity.objects.exclude(date=None).values_list("station_id", "date"))
        repaired = sorted(pk for pk in read.keys() | held.keys() if read.get(pk) != held.get(pk))
        for pk in repaired:
            LastActivity.objects.update_or_create(station_id=pk, defaults={"date": read.get(pk)})
    return {"checked": len(read), "repaired": repaired}
