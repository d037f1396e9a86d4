"""Reads about applications and members: the review queue's pre-checks and the dashboard figures.

Every function that takes a user reaches rows only through ``unionhub.scoping.scope_queryset``."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from membership.choices import ApplicationStatus
from membership.filtersets import applications_waiting
from membership.models import Member, MembershipApplication
from membership.models.applications import decision_promise
from membership.selectors.lists import applications_reached, members_reached
from unionhub.models.regions import Region
from unionhub.scoping import scope_queryset
from unionhub.validators import normalize_resident_id


def applications_with_prechecks(queryset: QuerySet, user=None) -> QuerySet:
    """Annotate each application with the automatic pre-checks shown in the review queue:

    * ``is_member`` - the ID number is already in the member register (approval links, never duplicates);
    * ``has_duplicate`` - another pending application has the same ID number;
    * the union being found is ``union_id is not None`` (otherwise approval uses the holding pool), and the
      ID number's validity is checked in Python (``id_is_valid``), as it needs the check character.

    * ``mobile_matches`` - the member's registered mobile number is the one the applicant gave (a transfer
      request proven by the member);

    With ``user``, members and other applications count only inside the user's scope: a reviewer never learns
    that a person is a member, or has applied, in another county. EXISTS subqueries, whatever the number of
    rows."""
    members = Member.objects.filter(resident_id=OuterRef("resident_id"))
    others = MembershipApplication.objects.filter(
        resident_id=OuterRef("resident_id"), status=ApplicationStatus.PENDING
    ).exclude(pk=OuterRef("pk"))
    if user is not None:
        members, others = scope_queryset(members, user), scope_queryset(others, user)
    return queryset.annotate(
        is_member=Exists(members),
        mobile_matches=Exists(members.filter(mobile=OuterRef("mobile"))),
        has_duplicate=Exists(others),
    )


PRECHECKS = ("is_member", "mobile_matches", "has_duplicate")


def page_prechecks(applications: list, user=None, oldest_of: QuerySet | None = None) -> None:
    """Set the pre-checks (``applications_with_prechecks``) on the applications of one page, and
    ``is_oldest`` on the oldest pending one of ``oldest_of`` if it is on the page - one query for the page.

    Annotating the whole list instead lets the planner, which expects the list's 150,000 rows, hash every
    member of the county for the ``EXISTS`` checks (2.3 s for a county of 600,000 members, whatever the page
    shows); for the page's 50 rows each check is one index probe."""
    if not applications:
        return
    rows = applications_with_prechecks(MembershipApplication.objects.filter(pk__in=[a.pk for a in applications]), user)
    fields = list(PRECHECKS)
    if oldest_of is not None:
        first = oldest_of.filter(status=ApplicationStatus.PENDING).order_by("submitted_at", "pk").values("pk")[:1]
        rows = rows.annotate(oldest=Subquery(first))  # uncorrelated: run once
        fields.append("oldest")
    found = {pk: values for pk, *values in rows.order_by().values_list("pk", *fields)}
    for application in applications:
        values = found.get(application.pk, [False, False, False, None])
        for name, value in zip(PRECHECKS, values[:3], strict=True):
            setattr(application, name, value)
        if oldest_of is not None:
            application.is_oldest = application.pk == values[3]


def id_is_valid(resident_id: str) -> bool:
    from django.core.exceptions import ValidationError

    try:
        return normalize_resident_id(resident_id) == resident_id
    except ValidationError:
        return False


# --- Dashboard figures -------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Linear-interpolated percentile (as PostgreSQL's percentile_cont) of an already sorted list."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


@dataclass
class CountyFigures:
    """One county's applications over the period. Times are in minutes; shares are fractions (0-1); both are
    None when nothing was decided yet."""

    code: str
    name: str
    per_day: list[int] = field(default_factory=list)  # aligned with ApplicationFigures.days
    submitted: int = 0
    decided: int = 0
    pending: int = 0
    median_minutes: float | None = None
    p90_minutes: float | None = None
    within_promise_share: float | None = None


@dataclass
class ApplicationFigures:
    """``application_figures``' answer: the days of the period and one ``CountyFigures`` per county the user
    can see that had applications, plus ``total`` over all of them."""

    days: list[dt.date]
    counties: list[CountyFigures]
    total: CountyFigures
    promise_minutes: int


def _figures(code: str, name: str, days: list[dt.date], rows: list, now: dt.datetime) -> CountyFigures:
    """rows: (submitted_at, decided_at or None, day) of one county's applications in the period."""
    promise = decision_promise()
    per_day = defaultdict(int)
    waits, within, measurable, pending = [], 0, 0, 0
    for submitted_at, decided_at, day in rows:
        per_day[day] += 1
        if decided_at is None:
            pending += 1
            if now - submitted_at > promise:
                measurable += 1  # already late: counts against the promise
            continue
        wait = decided_at - submitted_at
        waits.append(wait.total_seconds() / 60)
        measurable += 1
        within += wait <= promise
    waits.sort()
    return CountyFigures(
        code=code,
        name=name,
        per_day=[per_day[day] for day in days],
        submitted=len(rows),
        decided=len(waits),
        pending=pending,
        median_minutes=percentile(waits, 0.5),
        p90_minutes=percentile(waits, 0.9),
        within_promise_share=within / measurable if measurable else None,
    )


def application_figures(user, days: int = 30, today: dt.date | None = None) -> ApplicationFigures:
    """Online applications per county over the last ``days`` days (today included, Asia/Shanghai), for the
    dashboard: applications per day, median and 90th-percentile time from submission to decision, and the
    share decided within the promise (30 minutes).

    Counted by the day of submission. The share's denominator is every application of the period whose
    outcome against the promise is known: the decided ones, and those still pending past the promise
    (already late); those pending for less than the promise are left out. Scoped to the user; two queries
    (the rows, the county names), with the percentiles computed in Python so SQLite and PostgreSQL agree."""
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    period = [first + dt.timedelta(days=n) for n in range(days)]
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min), tz)
    now = min(timezone.now(), end)
    queryset = scope_queryset(MembershipApplication.objects.all(), user).filter(
        submitted_at__gte=start, submitted_at__lt=end
    )
    rows = queryset.annotate(day=TruncDate("submitted_at", tzinfo=tz)).values_list(
        "county_id", "submitted_at", "decided_at", "day"
    )
    by_county: dict[str, list] = defaultdict(list)
    every = []
    for county, submitted_at, decided_at, day in rows:
        by_county[county or ""].append((submitted_at, decided_at, day))
        every.append((submitted_at, decided_at, day))
    names = dict(Region.objects.filter(code__in=[c for c in by_county if c]).values_list("code", "name"))
    counties = [
        _figures(code, names.get(code, "—"), period, county_rows, now)
        for code, county_rows in sorted(by_county.items())
    ]
    return ApplicationFigures(
        days=period,
        counties=counties,
        total=_figures("", "", period, every, now),
        promise_minutes=int(decision_promise().total_seconds() // 60),
    )


def member_counts_by_status(user) -> dict[str, int]:
    """{status: members} for the members the user may see (the member list's scoped base)."""
    rows = members_reached(user).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def pending_overdue_count(user, now: dt.datetime | None = None) -> int:
    """Pending applications waiting longer than the promise: the queue at ``?waiting=overdue``."""
    return applications_waiting(applications_reached(user), "overdue", now=now).count()
