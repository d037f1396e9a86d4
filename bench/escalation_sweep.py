"""Escalation sweep: set-based over N open requests (default 100,000), database time and query count.

Builds N open requests in 沁水县 filed in the year 2000 (so they never touch real data) under a chain of unions,
a tenth of them overdue, then runs the sweep once and prints wall time, database time and queries; runs it
again over a tenth as many to show the query count does not grow.

    python -m bench escalation_sweep -- --requests 10000     # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

PREFIX = "B"


class Meter:
    def __init__(self):
        self.queries, self.seconds = 0, 0.0
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.seconds += spent
            self.queries += 1
            self.statements.append((spent, " ".join(sql.split())[:90]))


def build(count: int):
    from django.utils import timezone

    from casework.models import RequestEvent, WorkerRequest
    from unionhub.demo import seed_core

    core = seed_core()
    county, grassroots = core.county_federation, [u for u in core.unions if u.credit_code]
    clean()
    tz = timezone.get_current_timezone()
    filed = dt.datetime(2000, 3, 1, 9, tzinfo=tz)
    rows = []
    for n in range(count):
        union = grassroots[n % len(grassroots)] if n % 3 else county
        overdue = n % 10 == 0
        rows.append(
            WorkerRequest(
                reference=f"{PREFIX}{n:09d}",
                category="wages",
                employer_name="bench",
                description="-",
                wanted="-",
                mobile="13800000000",
                consented_at=filed,
                region_id=union.region_id,
                holder=union,
                filed_at=filed,
                acknowledge_due_on=dt.date(2000, 3, 2),
                resolve_due_on=dt.date(2000, 3, 10),
                level_due_on=dt.date(2000, 3, 2) if overdue else dt.date(2099, 1, 1),
                due_soon_on=dt.date(2099, 1, 1),
            )
        )
    WorkerRequest.objects.bulk_create(rows, batch_size=5000)
    # A live table has planner statistics (autovacuum); a table filled a second ago has none.
    from django.db import connection

    with connection.cursor() as cursor:
        for model in (WorkerRequest, RequestEvent):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return RequestEvent


def clean() -> None:
    from casework.models import RequestEvent, WorkerRequest

    RequestEvent.objects.filter(request__reference__startswith=PREFIX, request__filed_at__year=2000)._raw_delete(
        RequestEvent.objects.db
    )
    WorkerRequest.objects.filter(reference__startswith=PREFIX, filed_at__year=2000)._raw_delete(
        WorkerRequest.objects.db
    )


def sweep_once():
    from django.db import connection
    from django.utils import timezone

    from casework.services.sweep import casework_sweep

    meter = Meter()
    started = time.perf_counter()
    with connection.execute_wrapper(meter):
        result = casework_sweep(now=dt.datetime(2000, 3, 6, 9, tzinfo=timezone.get_current_timezone()))
    return time.perf_counter() - started, meter.seconds, meter.queries, result, meter.statements


def run(argv: list[str]) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    parser = argparse.ArgumentParser(prog="escalation_sweep")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--any-database", action="store_true", help="allow SQLite (figures are not the target's)")
    args, _others = parser.parse_known_args(argv)  # the other benchmarks' arguments may be in argv too
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" and not args.any_database:
        raise SystemExit("escalation_sweep measures PostgreSQL (DATABASE_URL=postgres://…); `make bench` starts one")
    call_command("migrate", verbosity=0)
    figures = []
    for count in (args.requests, max(args.requests // 10, 10)):
        build(count)
        wall, db, queries, result, statements = sweep_once()
        figures.append((count, wall, db, queries, result))
        print(
            f"{count:>9,} open requests: {result['escalated']:>7,} escalated in {wall:.2f} s "
            f"(database {db:.2f} s, {queries} queries)"
        )
        for spent, sql in statements:
            print(f"    {spent:6.3f} s  {sql}")
    clean()
    (big, _w, db, q_big, _r), (_small, _w2, _db2, q_small, _r2) = figures
    print(
        f"database time for {big:,}: {db:.2f} s (target <= 1 s); queries {q_big} vs {q_small}: "
        f"{'constant' if q_big == q_small else 'GROWS'}"
    )
