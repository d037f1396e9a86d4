"""The figures pages at scale: the admin index (workbench + county table) and the dashboard, read from summaries.

Builds the register with COPY (``bench/_scale_data.py``, as ``admin_scale`` does), serves the project with
gunicorn on the PostgreSQL in DATABASE_URL and times ``/admin/`` and ``/admin/dashboard/`` as county, city (or
province) staff and superuser: median and p95 of ``--requests`` after two warm-ups. Beside them, "before": the
statement the county table used to send on every index request (active members per county, counted from the
member table) timed in this process, and the dashboard's figures computed afresh (what the first visitor
after the old two-minute cache expired waited for, now the refresh job's work per reach). The machine's load
(``uptime``) is printed before and after.

    python -m bench summaries -- --members 100000            # a quick run
    python -m bench summaries -- --members 1000000           # the issue's scale
"""

from __future__ import annotations

import argparse
import os
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
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import clear_url_caches

    from bench import _scale_data as data
    from bench.admin_scale import Timer, durability, personas
    from bench.join_load import collect_static, free_port, start_server, stop_server
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

    port = free_port()
    previous = os.environ.get("DJANGO_SETTINGS_MODULE")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench._scale_settings"
    try:
        server = start_server(port, workers=2, threads=4, worker_class="gthread")
    finally:
        os.environ["DJANGO_SETTINGS_MODULE"] = previous or "unionhub.settings"
    misses = 0
    try:
        with override_settings(ROOT_URLCONF="bench._scale_urls"):
            clear_url_caches()
            print(f"\n{'page (over HTTP, gunicorn)':40} {'as':9} {'median':>7} {'p95':>7}  target")
            for who, user in users.items():
                client = Client(HTTP_HOST="127.0.0.1")
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                timer = Timer(
                    port, f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
                )
                for label, path in (("admin index (workbench, county table)", "/admin/"),
                                    ("dashboard (stored figures)", "/admin/dashboard/")):  # fmt: skip
                    result = timer.measure(path, args.requests)
                    ok = result["status"] == 200 and result["p95"] <= TARGET_MS
                    misses += not ok
                    print(f"{label:40} {who:9} {result['median']:7.1f} {result['p95']:7.1f}  ≤ {TARGET_MS} ms "
                          f"{'met' if ok else 'MISSED'}")  # fmt: skip
    finally:
        stop_server(server)
        clear_url_caches()
        if not args.keep:
            data.clear()
    print(f"\nload after: {load()}")
    print(f"targets: {'all met' if not misses else f'{misses} MISSED'}")
