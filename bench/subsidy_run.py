"""Subsidy run: set-based computation vs a per-station loop applying the same rules (PostgreSQL).

Builds N stations (default 10,000) in 沁水县 with M activity rows (default 1,000,000, loaded with COPY), daily
visitor counts, star levels and rectification notices, all dated in the year 2000 so they never touch real
data; then computes the year's run set-based and with the per-station loop on the same data, checks both give
identical allocations, and prints wall time, database time and query counts, as ratios. The query count is
also measured for a run over one town (about an eighth of the stations) to show it does not grow.

    python -m bench subsidy_run -- --stations 1000 --activities 100000     # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import time
from decimal import Decimal

YEAR = 2000
CODE_PREFIX = "BENCH-"


class Meter:
    """Counts queries and the time spent inside the database driver."""

    def __init__(self):
        self.queries, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def measure(fn):
    from django.db import connection

    meter = Meter()
    started = time.perf_counter()
    with connection.execute_wrapper(meter):
        fn()
    return time.perf_counter() - started, meter.seconds, meter.queries


def clean() -> None:
    from stations.models import Station, SubsidyAllocation, SubsidyPolicy, SubsidyRun

    SubsidyAllocation.objects.filter(station__code__startswith=CODE_PREFIX).delete()
    SubsidyRun.objects.filter(period_start__year=YEAR).delete()
    SubsidyPolicy.objects.filter(starts_on__year=YEAR).delete()
    # Cascades to activities, visitor counts, star levels and notices (raw delete: no per-row signals).
    from django.db import connection

    with connection.cursor() as cursor:
        ids = "SELECT id FROM stations_station WHERE code LIKE %s"
        for table in ("stations_activity", "stations_visitorcount", "stations_starrating", "stations_rectification"):
            cursor.execute(f"DELETE FROM {table} WHERE station_id IN ({ids})", [CODE_PREFIX + "%"])
        cursor.execute("DELETE FROM stations_station_facilities WHERE station_id IN (" + ids + ")", [CODE_PREFIX + "%"])
    Station.objects.filter(code__startswith=CODE_PREFIX)._raw_delete(Station.objects.db)


def copy(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def build(stations: int, activities: int, visitor_days: int, seed: int = 2000) -> list[str]:
    from stations.data.catalogue import seed_catalogues
    from stations.models import ActivityKind, Facility, Service, Station
    from unionhub.models.regions import Region
    from unionhub.services.regions import regions_load

    if not Region.objects.filter(code="140521104").exists():
        regions_load()
    seed_catalogues(Facility, Service, ActivityKind)
    rng = random.Random(seed)
    towns = sorted(Region.objects.filter(code__startswith="140521", level="town").values_list("code", flat=True))
    kind_id = ActivityKind.objects.get(code="summer_cooling").pk
    rows, start = [], dt.date(YEAR, 1, 1)
    for n in range(stations):
        delisted = rng.random() < 0.03
        rows.append(
            Station(
                code=f"{CODE_PREFIX}{n:06d}",
                name=f"基准测试驿站{n}",
                kind="rest" if n % 5 else "workshop",
                region_id=towns[n % len(towns)],
                address="基准测试路",
                area_m2=Decimal("40"),
                status="delisted" if delisted else "operating",
                status_since=dt.date(YEAR, rng.randint(2, 11), 1) if delisted else dt.date(YEAR - 1, 1, 1),
            )
        )
    Station.objects.bulk_create(rows, batch_size=5000)
    ids = list(Station.objects.filter(code__startswith=CODE_PREFIX).order_by("pk").values_list("pk", flat=True))
    # A fifth of the stations are quiet (1/30 of the others' activities); the total comes to ``activities``.
    per_station = max(1, round(activities / (len(ids) * (0.8 + 0.2 / 30))))
    copy(
        "stations_activity",
        ["station_id", "kind_id", "date", "title", "participants", "suggestions", "notes"],
        (
            (pk, kind_id, start + dt.timedelta(days=rng.randrange(366)), "活动", 20, 0, "")
            for pk in ids
            for _ in range(per_station if rng.random() > 0.2 else per_station // 30)
        ),
    )
    copy(
        "stations_visitorcount",
        ["station_id", "date", "visitors", "night_visitors"],
        ((pk, start + dt.timedelta(days=d), rng.randint(0, 60), 0) for pk in ids for d in range(visitor_days)),
    )
    stars = []
    for pk in ids:
        if rng.random() < 0.1:
            continue  # never rated
        first = dt.date(YEAR - 1, 1, 1) if rng.random() < 0.7 else dt.date(YEAR, rng.randint(1, 12), 1)
        stars.append((pk, rng.randint(1, 5), first, dt.date(YEAR + 1, 12, 31), "awarded", "基准"))
        if rng.random() < 0.1:
            stars.append((pk, 1, dt.date(YEAR, 9, 1), dt.date(YEAR + 1, 12, 31), "downgraded", "基准"))
    copy(
        "stations_starrating",
        ["station_id", "stars", "valid_from", "valid_until", "change", "reason", "recorded_at"],
        ((*row, "2000-01-01 00:00:00+08") for row in stars),
    )
    copy(
        "stations_rectification",
        ["station_id", "issued_on", "findings", "deadline", "closed_on", "outcome"],
        (
            (pk, dt.date(YEAR, 3, 1), "基准", dt.date(YEAR, 4, 1), dt.date(YEAR, 5, 1), "已整改")
            for pk in ids
            if rng.random() < 0.05
        ),
    )
    from django.db import connection

    # What autovacuum does on a running server: statistics, and the visibility map for index-only scans.
    with connection.cursor() as cursor:
        for table in ("stations_station", "stations_activity", "stations_visitorcount", "stations_starrating"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return towns


def make_policy(region_code: str):
    from stations.models import SubsidyPolicy, SubsidyRate, SubsidyRun

    policy = SubsidyPolicy.objects.create(
        region_id=region_code,
        name=f"基准补贴政策 {region_code}",
        starts_on=dt.date(YEAR, 1, 1),
        ends_on=dt.date(YEAR, 12, 31),
        min_activities=6,
        min_visitors=2000,
        budget_cap=Decimal("30000000"),
    )
    for kind in ("rest", "workshop"):
        for stars in range(1, 6):
            SubsidyRate.objects.create(
                policy=policy,
                kind=kind,
                stars=stars,
                construction=Decimal(10000 + 5000 * stars),
                operating=Decimal(4000 + 2000 * stars),
            )
    return SubsidyRun.objects.create(
        region_id=region_code, policy=policy, period_start=dt.date(YEAR, 1, 1), period_end=dt.date(YEAR, 12, 31)
    )


def snapshot(run) -> list[tuple]:
    from stations.models import SubsidyAllocation

    return sorted(
        SubsidyAllocation.objects.filter(run=run).values_list("station_id", "subsidy_type", "amount", "breakdown")
    )


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench subsidy_run")
    parser.add_argument("--stations", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--visitor-days", type=int, default=30, help="daily visitor rows per station")
    parser.add_argument("--keep", action="store_true", help="leave the generated rows in the database")
    parser.add_argument("--no-peer", action="store_true", help="skip the per-station loop (minutes at 100,000)")
    args, _others = parser.parse_known_args(argv)  # the other benchmarks' arguments may be in argv too

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from bench._subsidy_naive import subsidy_run_compute_naive
    from stations.services.subsidies import subsidy_run_compute

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("subsidy_run needs PostgreSQL (DATABASE_URL=postgres://…)")
    call_command("migrate", verbosity=0)
    clean()
    started = time.perf_counter()
    towns = build(args.stations, args.activities, args.visitor_days)
    from stations.models import Activity

    n_activities = Activity.objects.filter(station__code__startswith=CODE_PREFIX).count()
    print(
        f"data: {args.stations:,} stations, {n_activities:,} activities, built in {time.perf_counter() - started:.1f} s"
    )

    try:
        county_run = make_policy("140521")
        town_run = make_policy(towns[0])
        subsidy_run_compute(run=county_run)  # warm-up: plans and caches, as on a running server
        county_run.allocations.all().delete()
        _, _, town_queries = measure(lambda: subsidy_run_compute(run=town_run))
        town_stations = len({row[0] for row in snapshot(town_run)})
        town_run.allocations.all().delete()  # so that the county run pays those stations itself
        fast_wall, fast_db, fast_queries = measure(lambda: subsidy_run_compute(run=county_run))
        fast = snapshot(county_run)
        if args.no_peer:
            print(f"allocations: {len(fast):,}")
            print(f"set-based run:    {fast_wall:7.2f} s wall, {fast_db:6.2f} s database, {fast_queries:>7,} queries")
            print(f"queries: {fast_queries} for the county ({args.stations:,} stations), {town_queries} for one town "
                  f"(~{town_stations:,} stations with allocations); the per-station loop not run")  # fmt: skip
            return
        slow_wall, slow_db, slow_queries = measure(lambda: subsidy_run_compute_naive(run=county_run))
        identical = snapshot(county_run) == fast
        print(f"allocations: {len(fast):,}; set-based and per-station loop identical: {identical}")
        print(f"set-based run:    {fast_wall:7.2f} s wall, {fast_db:6.2f} s database, {fast_queries:>7,} queries")
        print(f"per-station loop: {slow_wall:7.2f} s wall, {slow_db:6.2f} s database, {slow_queries:>7,} queries")
        print(f"ratio: set-based is {slow_wall / fast_wall:.1f}x faster (wall), {slow_db / fast_db:.1f}x (database)")
        print(
            f"queries: {fast_queries} for the county ({args.stations:,} stations), {town_queries} for one town "
            f"(~{town_stations:,} stations with allocations) - ratio {fast_queries / town_queries:.2f}"
        )
        verdict = fast_db <= 1.0 and slow_wall / fast_wall >= 25 and fast_queries == town_queries and identical
        print(f"targets (≤1 s database, ≥25x, constant queries, identical): {'met' if verdict else 'NOT met'}")
    finally:
        if not args.keep:
            clean()
