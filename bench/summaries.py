"""The figures pages at scale: the admin index (workbench + county table) and the dashboard, read from summaries.

Builds the register with COPY (``bench/_scale_data.py``, as ``admin_scale`` does) on the PostgreSQL in
DATABASE_URL and times ``/admin/`` and ``/admin/dashboard/`` as county, city (or province) staff and superuser
in this process through Django's test client: median and p95 of ``--requests`` after two warm-ups, and the
queries per page. Beside them, "before": the
statement the county table used to send on every index request (active members per county, counted from the
member table) timed in this process, and the dashboard's figures computed afresh (what the first visitor
after the old two-minute cache expired waited for, now the refresh job's work per reach). The machine's load
(``uptime``) is printed before and after.

    python -m bench summaries -- --members 100000            # a quick run
    python -m bench summaries -- --members 1000000           # the issue's scale
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time

TARGET_MS = 150


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def timed(work, n: int) -> dict:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"median": statistics.median(times), "p95": times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]}


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench summaries")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--counties", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="leave the generated rows in the database")
    args, _others = parser.parse_known_args(argv)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import _scale_data as data
    from bench.admin_scale import durability, personas
    from bench.join_load import collect_static
    from dashboard.selectors import dashboard_data
    from dashboard.services.snapshots import dashboard_refresh
    from membership.selectors.summaries import member_counts_recounted, member_counts_summarized

    if connection.vendor != "postgresql":
        raise SystemExit("summaries needs PostgreSQL (DATABASE_URL=postgres://…)")
    call_command("migrate", verbosity=0)
    collect_static()
    print(f"PostgreSQL: {durability()}")
    print(f"load before: {load()}")
    built = data.build(counties=args.counties, members=args.members, applications=args.members // 5,
                       stations=10_000, activities=args.members)  # fmt: skip
    print(f"data: {built['members']:,} members in {len(built['counties'])} counties, {built['applications']:,} "
          f"applications, {built['stations']:,} stations, {built['activities']:,} activities "
          f"(built in {built['seconds']:.0f} s)")  # fmt: skip
    assert member_counts_summarized() == member_counts_recounted(), "the summary rows differ from a recount"
    print("summary rows equal a fresh recount after the COPY load")
    users, wide = personas(built["counties"])
    started = time.perf_counter()
    refreshed = dashboard_refresh()
    print(f"dashboard refresh job: {refreshed['computed']} reaches in {time.perf_counter() - started:.1f} s")

    with connection.cursor() as cursor:
        old_sql = (
            "SELECT substr(u.region_id, 1, 6), count(*) FROM membership_member m JOIN unionhub_unionorganization u "
            "ON u.id = m.union_id WHERE m.status = 'active' GROUP BY 1"
        )
        before = timed(lambda: cursor.execute(old_sql) or cursor.fetchall(), 5)
        new_sql = "SELECT county, active FROM membership_countymembers WHERE county LIKE %s"
        after = timed(lambda: cursor.execute(new_sql, [wide + "%"]) or cursor.fetchall(), 20)
    print(f"\n{'statement':58} {'median':>8} {'p95':>8}")
    print(f"{'before: active members per county, counted':58} {before['median']:8.1f} {before['p95']:8.1f}")
    print(f"{'after: the same from membership_countymembers':58} {after['median']:8.2f} {after['p95']:8.2f}")
    for who, user in users.items():
        figures = timed(lambda user=user: dashboard_data(user), 3)
        print(f"{'before: dashboard figures computed on request, ' + who:58} {figures['median']:8.1f} "
              f"{figures['p95']:8.1f}")  # fmt: skip

    misses = 0
    try:
        # In this process, through Django's test client (the whole request: middleware, session, the view, the
        # template), one request at a time after two warm-ups.
        print(f"\n{'page (in process, test client)':40} {'as':9} {'median':>7} {'p95':>7} {'q':>3}  target")
        for who, user in users.items():
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            for label, path in (("admin index (workbench, county table)", "/admin/"),
                                ("dashboard (stored figures)", "/admin/dashboard/")):  # fmt: skip
                first = client.get(path)
                if first.status_code != 200:
                    print(f"{label:40} {who:9} status {first.status_code} {first.get('Location', '')}")
                    misses += 1
                    continue
                client.get(path)
                result = timed(lambda client=client, path=path: client.get(path), args.requests)
                with CaptureQueriesContext(connection) as queries:
                    client.get(path)
                ok = result["p95"] <= TARGET_MS
                misses += not ok
                print(f"{label:40} {who:9} {result['median']:7.1f} {result['p95']:7.1f} {len(queries):3}  "
                      f"≤ {TARGET_MS} ms {'met' if ok else 'MISSED'}")  # fmt: skip
    finally:
        if not args.keep:
            data.clear()
    print(f"\nload after: {load()}")
    print(f"targets: {'all met' if not misses else f'{misses} MISSED'}")
