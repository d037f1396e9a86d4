"""Reads of the register's figures kept as rows (``CountyMembers``): never a count of the member table on a
page. ``member_counts_recounted`` is the one full read, for the repair and the tests."""

from __future__ import annotations

from django.db.models import Count, Q

from membership.choices import MemberStatus
from membership.models import CountyMembers, Member
from unionhub.scoping import scope_queryset


def active_members_by_county(user) -> dict[str, int]:
    """{county code: active members} for the counties in the user's reach: one read of the summary rows (a
    row per county, whatever the size of the register)."""
    return dict(scope_queryset(CountyMembers.objects.all(), user).values_list("county", "active"))


def member_counts_recounted() -> dict[str, tuple[int, int]]:
    """{county: (active, all)} counted from the register itself, every county with members: what the summary
    rows must equal. A full read of the member table - for the repair and tests, never for a page."""
    rows = (
        Member.objects.order_by()
        .values("county")
        .annotate(active=Count("pk", filter=Q(status=MemberStatus.ACTIVE)), total=Count("pk"))
    )
    return {row["county"]: (row["active"], row["total"]) for row in rows}


def member_counts_summarized() -> dict[str, tuple[int, int]]:
    """{county: (active, all)} as the summary rows hold them, counties with members only."""
    rows = CountyMembers.objects.filter(total__gt=0).values_list("county", "active", "total")
    return {county: (active, total) for county, active, total in rows}
