"""Computing a subsidy run, set-based: a handful of grouped queries gather, for every station of the run's
region at once, what the rules need (``gather_facts``); the pure rules (``subsidy_rules``) turn each
station's facts into drafts; the allocations are written with one bulk insert under a row lock on the run.
The run's lifecycle (create, start, approve, pay, the payment list) is in ``subsidies``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stations.choices import StationStatus
from stations.models import Activity, Rectification, StarRating, Station, SubsidyPolicy, VisitorCount
from stations.models.subsidies import AllocationStatus, RunStatus, SubsidyAllocation, SubsidyRun, SubsidyType
from stations.services.subsidy_rules import (
    ZERO,
    Draft,
    Rules,
    StationFacts,
    apply_budget_cap,
    station_allocations,
)


def policy_covering(*, region_code: str, period_start: dt.date, period_end: dt.date) -> SubsidyPolicy | None:
    return (
        SubsidyPolicy.objects.filter(region_id=region_code, starts_on__lte=period_start, ends_on__gte=period_end)
        .order_by("starts_on")
        .first()
    )


def _station_rows(run: SubsidyRun, rules: Rules):
    return (
        Station.objects.filter(region__code__startswith=run.region_id, kind__in=rules.kinds)
        .exclude(status=StationStatus.DELISTED, status_since__lte=run.period_start)
        .order_by("pk")
        .values_list("pk", "region_id", "kind", "status", "status_since")
    )


def _facts(row, ratings, activities, visitors, notices, construction, operating) -> StationFacts:
    pk, region_id, kind, status, since = row
    return StationFacts(
        station_id=pk,
        county=region_id[:6],
        kind=kind,
        delisted_on=since if status == StationStatus.DELISTED else None,
        ratings=tuple(ratings),
        activities=activities,
        visitors=visitors,
        rectifications=tuple(notices),
        construction_given=construction,
        operating_given=operating,
    )


def gather_facts(run: SubsidyRun, rules: Rules, progress: Callable[[int, str], None]) -> list[StationFacts]:
    """Every station's facts in a fixed number of grouped queries, whatever the number of stations."""
    ps, pe = run.period_start, run.period_end
    in_run = {"station__region__code__startswith": run.region_id, "station__kind__in": rules.kinds}
    stations = list(_station_rows(run, rules))
    progress(20, _("%(n)s stations") % {"n": len(stations)})
    activities = dict(
        Activity.objects.filter(**in_run, date__gte=ps, date__lte=pe)
        .values("station_id")
        .annotate(n=Count("*"))  # COUNT(*): answerable from the (station, date) index alone
        .order_by()
        .values_list("station_id", "n")
    )
    progress(40, _("activities counted"))
    visitors = dict(
        VisitorCount.objects.filter(**in_run, date__gte=ps, date__lte=pe)
        .values("station_id")
        .annotate(n=Sum("visitors"))
        .order_by()
        .values_list("station_id", "n")
    )
    progress(55, _("visitors counted"))
    ratings = defaultdict(list)
    for station_id, valid_from, valid_until, stars in (
        StarRating.objects.filter(**in_run, valid_from__lte=pe)
        .order_by("station_id", "valid_from", "pk")
        .values_list("station_id", "valid_from", "valid_until", "stars")
    ):
        ratings[station_id].append((valid_from, valid_until, stars))
    notices = defaultdict(list)
    for station_id, issued, closed in (
        Rectification.objects.filter(**in_run, issued_on__lte=pe)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=ps))
        .values_list("station_id", "issued_on", "closed_on")
    ):
        notices[station_id].append((issued, closed))
    elsewhere = SubsidyAllocation.objects.filter(**in_run).exclude(run=run)
    construction = set(elsewhere.filter(subsidy_type=SubsidyType.CONSTRUCTION).values_list("station_id", flat=True))
    operating = set(
        elsewhere.filter(subsidy_type=SubsidyType.OPERATING, period_start=ps).values_list("station_id", flat=True)
    )
    progress(70, _("star levels and rectifications read"))
    return [
        _facts(
            row,
            ratings.get(row[0], ()),
            activities.get(row[0], 0),
            visitors.get(row[0], 0) or 0,
            notices.get(row[0], ()),
            row[0] in construction,
            row[0] in operating,
        )
        for row in stations
    ]


def _no_progress(done: int, total: int | None = None, stage: str | None = None) -> None:
    pass


def _compute(run: SubsidyRun, *, gather=None, per_row: bool = False, progress=None) -> SubsidyRun:
    """``gather`` (the set-based ``gather_facts`` by default) and ``per_row`` are seams for the benchmark's
    per-station peer (bench/subsidy_run.py); ``progress(done, total, stage)`` is the job's reporter."""
    gather = gather or gather_facts
    report = progress or _no_progress

    def percent(value: int, note: str) -> None:
        report(value, 100, note)

    run = SubsidyRun.objects.select_related("policy").get(pk=run.pk)
    if run.is_locked:
        raise ValidationError(_("This run is approved: its allocations can no longer change."))
    policy = policy_covering(region_code=run.region_id, period_start=run.period_start, period_end=run.period_end)
    if policy is None:
        raise ValidationError(_("No subsidy policy of this region covers the run's period any more."))
    SubsidyRun.objects.filter(pk=run.pk).update(status=RunStatus.COMPUTING)
    percent(5, _("reading stations"))
    try:
        # The breakdown is data read by finance: always in the site's language, whoever starts the run.
        with translation.override(settings.LANGUAGE_CODE):
            rules = Rules.of(policy, run.period_start, run.period_end)
            facts = gather(run, rules, percent)
            drafts = [draft for station in facts for draft in station_allocations(station, rules)]
            apply_budget_cap(drafts, rules.budget_cap, rules.language)
            percent(85, _("writing %(n)s allocations") % {"n": len(drafts)})
            run = _write(run, policy, drafts, per_row=per_row)
            percent(100, _("done"))
            return run
    except Exception:
        SubsidyRun.objects.filter(pk=run.pk).exclude(status__in=[RunStatus.APPROVED, RunStatus.PAID]).update(
            status=RunStatus.FAILED
        )
        raise


@transaction.atomic
def _write(run: SubsidyRun, policy: SubsidyPolicy, drafts: list[Draft], *, per_row: bool) -> SubsidyRun:
    run = SubsidyRun.objects.select_for_update().get(pk=run.pk)
    if run.is_locked:
        raise ValidationError(_("This run is approved: its allocations can no longer change."))
    SubsidyAllocation.objects.filter(run=run, status=AllocationStatus.PROPOSED).delete()
    if not per_row and connection.vendor == "postgresql":
        _insert_postgresql(run, drafts)
        objects = []
    else:
        objects = _allocation_objects(run, drafts)
    if per_row:
        for obj in objects:
            with transaction.atomic():
                SubsidyAllocation.objects.bulk_create([obj], ignore_conflicts=True)
    elif objects:
        # A conflict means another run already holds this station's allocation for the period (or its one
        # construction subsidy): that one stands.
        SubsidyAllocation.objects.bulk_create(objects, ignore_conflicts=True)
    totals = SubsidyAllocation.objects.filter(run=run).aggregate(total=Sum("amount"), n=Count("pk"))
    run.policy = policy
    run.total = totals["total"] or ZERO
    run.allocation_count = totals["n"]
    run.status = RunStatus.PROPOSED
    run.computed_at = timezone.now()
    run.save()
    return run


def _allocation_objects(run: SubsidyRun, drafts: list[Draft]) -> list[SubsidyAllocation]:
    stations = Station.objects.filter(pk__in={d.station_id for d in drafts}).values_list("pk", "region_id")
    county = {pk: region[:6] for pk, region in stations}
    return [
        SubsidyAllocation(
            run=run,
            station_id=d.station_id,
            county=county[d.station_id],
            period_start=run.period_start,
            period_end=run.period_end,
            subsidy_type=d.subsidy_type,
            stars=d.stars,
            amount=d.amount,
            breakdown=d.breakdown,
        )
        for d in drafts
    ]


def _insert_postgresql(run: SubsidyRun, drafts: list[Draft]) -> None:
    """One multi-row INSERT … ON CONFLICT DO NOTHING, built by psycopg2 rather than the ORM: for tens of
    thousands of rows the ORM's per-field preparation costs more than the database's work. Same columns and
    the same conflict rule as ``bulk_create(ignore_conflicts=True)``."""
    from psycopg2.extras import execute_values

    table = SubsidyAllocation._meta.db_table
    # The county is the station's (the two-column key checks it), taken in the same statement.
    columns = "run_id, station_id, period_start, period_end, subsidy_type, stars, amount, breakdown, status"
    sql = (
        f"INSERT INTO {table} ({columns}, county) SELECT v.*, s.county FROM (VALUES %s) AS v ({columns}) "
        f"JOIN {Station._meta.db_table} s ON s.id = v.station_id ON CONFLICT DO NOTHING"
    )
    rows = [
        (
            run.pk,
            d.station_id,
            run.period_start,
            run.period_end,
            d.subsidy_type,
            d.stars,
            d.amount,
            d.breakdown,
            "proposed",
        )
        for d in drafts
    ]
    if rows:
        with connection.cursor() as cursor:
            execute_values(cursor.cursor, sql, rows, page_size=max(len(rows), 1))
