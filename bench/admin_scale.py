"""The admin at a million members: every list, filter, sort and search, against Django's default ModelAdmin.

Builds the data with COPY (``bench/_scale_data.py``: members over several counties, applications, stations
and activities), serves the project with gunicorn (2 workers x 4 threads, DEBUG off) on the PostgreSQL in
DATABASE_URL - which ``make bench`` starts durable (fsync, synchronous_commit and full_page_writes on; the
settings are printed) - and requests each page one at a time over a keep-alive connection: median and p95 of
``--requests`` timed requests after two warm-ups. Queries per page are counted in this process with Django's
test client on the same database. The peer is Django's default ``ModelAdmin`` for the member table on a second
admin site (``bench/_scale_urls.py``), as superuser, over the same rows in the same run; station pages have no
Django peer, so their target is the peer.

    python -m bench admin_scale -- --members 100000          # a quick run
    python -m bench admin_scale -- --counties 10             # province scale: province staff read them all

The searches include what a caller reads out on the phone - a mobile's or an ID's last four ("尾号1813"), an ID's
first digits - on the member list and the review queue (target ``CALLER_MS``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import time
from pathlib import Path
from urllib.parse import quote

from bench._machine import machine_load

LIST_MS, EXACT_MS, NAME_MS, QUEUE_MS, STATION_MS, MAX_QUERIES = 150, 50, 200, 150, 150, 8
CALLER_MS = 200  # a search by what a caller reads out: a mobile's or an ID's last four, an ID's first digits


def durability() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        values = []
        for name in ("server_version", "fsync", "synchronous_commit", "full_page_writes", "shared_buffers",
                     "work_mem", "max_wal_size", "random_page_cost",
                     "max_parallel_workers_per_gather", "jit"):  # fmt: skip
            cursor.execute(f"SHOW {name}")
            values.append(f"{name}={cursor.fetchone()[0]}")
    return ", ".join(values)


def personas(counties: list[str]):
    from django.contrib.auth import get_user_model

    from tests.factories import UserFactory
    from unionhub.models.regions import Role

    users = get_user_model().objects
    users.filter(username__startswith="bench-scale-").delete()
    wide = "1405" if all(code.startswith("1405") for code in counties) else "14"
    county = UserFactory(username="bench-scale-county", role=Role.COUNTY_STAFF, region=counties[0])
    city = UserFactory(username="bench-scale-city", role=Role.REGIONAL_STAFF, region=counties[0][:4])
    root = UserFactory(username="bench-scale-root")
    root.is_superuser = True
    root.save()
    users = {"county": county, "city": city}
    if wide == "14":  # counties beyond the first city: province staff read them all
        users["province"] = UserFactory(username="bench-scale-province", role=Role.REGIONAL_STAFF, region="14")
    return users | {"superuser": root}, wide


def member_pages(built: dict) -> list[tuple[str, str, int, str | None]]:
    """(label, query string, target ms, search term) for the member list. A search is the private search: a
    POST that keeps the term in the session, then the list at ``?q_token=`` (``search_path``); the peer is
    asked the Django way, ``?q=``."""
    from membership.models import Member

    county = built["counties"][0]
    sample = Member.objects.filter(union_id__in=built["unions"][county]).order_by("pk")[1234]
    rid, mobile, card = sample.resident_id, sample.mobile, sample.card_number
    typed_rid = f"{rid[:6]} {rid[6:14]} {rid[14:]}".lower()
    union = built["unions"][county][3]
    return [
        ("list, first page", "", LIST_MS, None),
        ("list, page 200 (deepest offered)", "p=199", LIST_MS, None),
        ("filter status=lapsed", "status=lapsed", LIST_MS, None),
        ("filter source=online", "source=online", LIST_MS, None),
        ("filter occupation=courier", "occupation=courier", LIST_MS, None),
        ("filter one union", f"union__id__exact={union}", LIST_MS, None),
        ("filter holding pool", "pool=yes", LIST_MS, None),
        ("filter join date: this year", "join_date__gte=2026-01-01&join_date__lt=2027-01-01", LIST_MS, None),
        ("date hierarchy: 2020", "join_date__year=2020", LIST_MS, None),
        ("date hierarchy: 2020-03", "join_date__year=2020&join_date__month=3", LIST_MS, None),
        # Every column the list lets staff sort by (status and source are filters, not sorts: see MemberAdmin),
        # named here and turned into each persona's ``?o=`` index by ``sort_query``.
        ("sort card number", "o=card_number", LIST_MS, None),
        ("sort name", "o=name", LIST_MS, None),
        ("sort name, descending", "o=-name", LIST_MS, None),
        ("sort union", "o=union", LIST_MS, None),
        ("sort occupation", "o=occupation", LIST_MS, None),
        ("sort join date, ascending", "o=join_date", LIST_MS, None),
        ("search full resident ID (spaced, lowercase x)", "", EXACT_MS, typed_rid),
        ("search mobile", "", EXACT_MS, mobile),
        ("search card number", "", EXACT_MS, card),
        ("search name (3 characters)", "", NAME_MS, sample.name),
        ("search name (2 characters)", "", NAME_MS, sample.name[:2]),
        # What a caller gives (unionhub.search.number_condition): four digits are asked as a mobile's tail and as
        # an ID's (two RIGHT(field, 4) indexes), 6-17 digits as the start of an ID (a range on its key).
        ("search 尾号 + mobile's last 4", "", CALLER_MS, f"尾号{mobile[-4:]}"),
        ("search 4 digits: mobile or ID tail", "", CALLER_MS, rid[-4:]),
        ("search ID's first 10 digits (county, year)", "", CALLER_MS, rid[:10]),
        ("search ID's first 14 digits (birth date)", "", CALLER_MS, rid[:14]),
    ]


def sort_query(query: str, client) -> str:
    """``o=<column>`` as the ``?o=`` index the persona's list uses: the columns counted from 1 when the list
    has the row checkbox (staff who may act on members), from 0 when it has not (read-only city staff)."""
    if not query.startswith("o="):
        return query
    from membership.admin.members import MemberAdmin

    name = query[2:].lstrip("-")
    checkbox = client is None or b"action-select" in client.get("/admin/membership/member/").content
    index = MemberAdmin.list_display.index(name) + (1 if checkbox else 0)
    return f"o={'-' if query[2:].startswith('-') else ''}{index}"


def search_path(client, list_path: str, term: str) -> str:
    """The private search as staff use it: POST the term, get the list's address with its session token."""
    response = client.post(list_path, {"q": term, "_uh_search": "1"})
    assert response.status_code == 302, response.status_code
    return response["Location"]


class Timer:
    def __init__(self, port: int, cookie: str):
        self.port, self.cookie = port, cookie
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str) -> tuple[float, int, int]:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers={"Cookie": self.cookie, "Host": "127.0.0.1"})
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request("GET", path, headers={"Cookie": self.cookie, "Host": "127.0.0.1"})
            response = self.connection.getresponse()
        body = response.read()
        return (time.perf_counter() - started) * 1000, response.status, len(body)

    def measure(self, path: str, n: int) -> dict:
        for _ in range(2):
            self.get(path)
        times, status, size = [], 0, 0
        for _ in range(n):
            ms, status, size = self.get(path)
            times.append(ms)
        times.sort()
        p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
        return {"median": statistics.median(times), "p95": p95, "status": status, "bytes": size}


CAPTURED: dict[str, list[str]] = {}


def count_queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # as the timed requests: after a warm-up (cached list-filter choices, sessions)
    counts = []
    for _ in range(2):  # the fewer of two: a minute's cache (the admin menu) that expires between the warm-up
        with CaptureQueriesContext(connection) as queries:  # and the count is refilled once a minute, not a page
            client.get(path)
        counts.append(len(queries))
        CAPTURED.setdefault(path, [q["sql"] for q in queries.captured_queries])  # the first persona: county staff
    return min(counts)


def explain_plans(paths: dict[str, str]) -> None:
    """EXPLAIN ANALYZE of the heaviest statement of some pages: the plan's top nodes and the execution time,
    which is how each query's cost grows with the rows (README, Benchmarks)."""
    from django.db import connection

    print("\nplans (EXPLAIN ANALYZE of each page's slowest statement, county staff):")
    with connection.cursor() as cursor:
        for label, path in paths.items():
            worst = None
            for sql in CAPTURED.get(path, []):
                skip = ("django_session", "auth_", "unionhub_bounded_count")  # the count is a function: its EXPLAIN
                if not sql.lstrip().upper().startswith("SELECT") or any(word in sql for word in skip):  # says nothing
                    continue
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0][0]
                if worst is None or plan["Execution Time"] > worst[0]["Execution Time"]:
                    worst = (plan, sql)
            if worst is None:
                continue
            nodes, node = [], worst[0]["Plan"]
            while node is not None and len(nodes) < 4:
                index = f" {node['Index Name']}" if "Index Name" in node else ""
                nodes.append(f"{node['Node Type']}{index} (rows {node['Actual Rows']})")
                node = (node.get("Plans") or [None])[0]
            print(f"  {label[:40]:40} {worst[0]['Execution Time']:8.2f} ms  {' > '.join(nodes)}")


def row(label, who, ours, queries, target, peer=None) -> tuple[str, bool]:
    ok = ours["p95"] <= target and (queries is None or queries <= MAX_QUERIES) and ours["status"] == 200
    peer_text = ""
    if peer is not None:
        peer_text = f"{peer['median']:8.0f} {peer['p95']:8.0f}  {peer['p95'] / ours['p95']:7.1f}x"
    status = "" if ours["status"] == 200 else f" HTTP {ours['status']}"
    q = "-" if queries is None else str(queries)
    line = (f"{label[:46]:46} {who:9} {ours['median']:7.1f} {ours['p95']:7.1f} {q:>3} {ours['bytes'] / 1024:7.0f}"
            f"  {peer_text:28} {'ok' if ok else 'MISSED'} (≤{target} ms){status}")  # fmt: skip
    return line, ok


EXPORT_MB = 200


def own_peak_mb() -> float | None:
    """This process's own peak resident memory (VmHWM, MB). Not ``ru_maxrss``: Linux carries the maximum over
    ``execve``, and a child that subprocess starts with vfork reports the parent's peak at the time of the spawn
    (the benchmark's parent holds a million members' worth of pages by then: 273-401 MB for any export)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def export_child(user_id: int, query: str, file_format: str) -> None:
    """Run in a child process: one background export, as the Celery task runs it; print rows, time, peak RSS."""
    import resource
    import tempfile

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from membership.models import MemberExport
    from membership.services.exports import EXPORT_JOB
    from membership.tasks.exports import member_export
    from unionhub.services.jobs import job_create

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="export-bench-")
    user = get_user_model().objects.get(pk=user_id)
    export = MemberExport.objects.create(created_by=user, query=query, file_format=file_format)
    job = job_create(kind=EXPORT_JOB, user=user, target=export)
    started = time.perf_counter()
    member_export.run(job.pk)  # the job's Celery task, in this process
    seconds = time.perf_counter() - started
    export.refresh_from_db()
    job.refresh_from_db()
    peak = own_peak_mb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"CHILD {job.status} {export.rows} {seconds:.2f} {peak:.0f} {export.file.size if export.file else 0}")
    if export.file:
        export.file.delete(save=False)
    export.delete()
    job.delete()


def export_figures(user, built: dict) -> int:
    """The export of a filtered list (≥ 100,000 rows at the default size) as the background job runs it."""
    import subprocess
    import sys

    query = "occupation=employee"
    misses = 0
    print(f"\nbackground export of the county's list filtered by {query} (county staff; the Celery task in a child "
          f"process, its own peak RSS - VmHWM - with Django loaded):")  # fmt: skip
    for file_format in ("csv", "xlsx"):
        child = subprocess.run(
            [sys.executable, "-c", f"from bench.admin_scale import export_child; "
             f"export_child({user.pk}, {query!r}, {file_format!r})"],  # fmt: skip
            capture_output=True, text=True, cwd=str(Path(__file__).resolve().parent.parent), env=dict(os.environ),
        )  # fmt: skip
        line = next((x for x in child.stdout.splitlines() if x.startswith("CHILD ")), None)
        if line is None:
            print(child.stdout[-1000:], child.stderr[-3000:])
            misses += 1
            continue
        _tag, status, done, seconds, peak, size = line.split()
        ok = status == "done" and float(peak) <= EXPORT_MB
        misses += not ok
        rate = int(done) / float(seconds)
        print(f"  {file_format.upper():4} {int(done):>9,} rows in {float(seconds):6.1f} s ({rate:,.0f} rows/s), "
              f"{int(size) / 2**20:.0f} MB file, peak RSS {peak} MB: {'ok' if ok else 'MISSED'} "
              f"(≤ {EXPORT_MB} MB)")  # fmt: skip
    return misses


IMPORT_SECONDS_PER_100K = 10


def forget_imported() -> None:
    """Delete the members (and their history) an earlier run imported into a kept register, and vacuum what
    they leave behind: 100,000 dead rows in every index of the register are not what a county's next roster
    meets on a running server (members are not deleted in bulk there), and each run would be slower than the
    last."""
    from django.db import connection

    from bench import roster_import
    from unionhub.models.regions import UnionOrganization

    union = UnionOrganization.objects.filter(name=roster_import.UNION).values_list("pk", flat=True).first()
    deleted = 0
    with connection.cursor() as cursor:
        tables = register_tables()[::-1]  # the history rows first
        for table in tables:
            cursor.execute(f"DELETE FROM {table} WHERE union_id = %s", [union])
            deleted += cursor.rowcount
        if deleted:
            cursor.execute(f"VACUUM {', '.join(tables)}")


def register_tables() -> list[str]:
    """The member table and its history: what the import writes, and what ``forget_imported`` clears."""
    from membership.models import Member

    return [Member._meta.db_table, Member.history.model._meta.db_table]


def register_io() -> tuple[int, int]:
    """(pages of the member table, its history and their indexes read from outside PostgreSQL's buffers, page
    images written to the WAL) so far: what a run's time hangs on when the register does not fit in memory."""
    from django.db import connection

    with connection.cursor() as cursor:
        # This connection's own counts reach the statistics when it next goes idle, at most once a second.
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            "SELECT COALESCE(sum(heap_blks_read), 0) + COALESCE(sum(idx_blks_read), 0) FROM pg_statio_user_tables "
            "WHERE relname = ANY(%s)",
            [register_tables()],
        )
        read = cursor.fetchone()[0]
        cursor.execute("SELECT wal_fpi FROM pg_stat_wal")
        return int(read), int(cursor.fetchone()[0])


def import_into_register(rows: int, built: dict, runs: int = 3) -> int:
    """A county's roster of ``rows`` new members imported end to end (upload, check, confirm: the roster bench's
    path) into the register just built, ``runs`` times, a different roster each time (the members of each run
    forgotten before the next); a run that does not create every member counts as a miss, and so does a run
    over the target per 100,000 rows: every run is judged, the first included.

    The first run is the one a county meets after the page timings: the index pages its rows go to (the
    names' places in the name's two indexes, the ID's and the mobile's) were pushed out of memory by the
    pages read meanwhile, and each is read from disk and written whole to the WAL (its first change since a
    checkpoint). The indexes that begin with the county take a county's rows in one run of pages. The later
    runs write the same people's names to the same places (the bench's names repeat), so they find those
    pages in memory. Each run prints the pages it read and the page images it wrote."""
    import tempfile

    from bench import _scale_data as data
    from bench import roster_import
    from membership.models.roster import ImportStatus

    if built["counties"][0] != roster_import.COUNTY:
        print(f"roster import into the register: skipped (the roster is for {roster_import.COUNTY})")
        return 0
    user = roster_import.prepare()
    load = machine_load()  # the pages' timings just ended: the host as the imports meet it
    times, phases, io, wrong = [], [], [], []
    with tempfile.TemporaryDirectory() as work:
        for run in range(max(1, runs)):
            # People the register does not hold: born after its members and applicants (``_scale_data.BIRTH_DAYS``),
            # and different IDs and mobiles each run (the names repeat: see above).
            path = Path(work) / f"roster-{run}.xlsx"
            roster_import.write_roster(path, rows, start=data.BIRTH_DAYS * 1000 + run * rows)
            forget_imported()  # the members an earlier run (or ``--reuse`` run) imported are gone again
            before = register_io()
            seconds, roster = roster_import.ours(path, user, phases)
            io.append([b - a for a, b in zip(before, register_io(), strict=True)])
            times.append(seconds)
            if roster.status != ImportStatus.DONE or roster.created != rows or roster.errors:
                wrong.append(f"run {run + 1}: status {roster.status}, {roster.created:,} new, {roster.errors:,} errors")
    target = IMPORT_SECONDS_PER_100K * rows / 100_000
    over = sum(t > target for t in times)
    outcome = "; ".join(wrong) if wrong else f"each run {rows:,} new members, no row with errors"
    print(
        f"\nroster import of {rows:,} new members into a register of {built['members']:,}, {len(times)} runs "
        f"({outcome}; target ≤ {target:.1f} s each): {'met by every run' if not over else f'MISSED by {over}'}"
    )
    print(f"  machine load before the imports: {load}; after: {machine_load()}")
    for n, (seconds, (check, confirm), (read, images)) in enumerate(zip(times, phases, io, strict=True), start=1):
        print(
            f"  run {n}: {seconds:5.1f} s (check {check:.1f} + confirm {confirm:.1f}); {read:,} pages of the "
            f"register read from disk or the OS cache, {images:,} whole pages written to the WAL"
        )
    return int(bool(wrong) or over > 0)


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench admin_scale")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=None, help="default: a fifth of --members")
    parser.add_argument("--counties", type=int, default=3)
    parser.add_argument("--scale-stations", type=int, default=10_000, help="stations for the finder pages")
    parser.add_argument("--scale-activities", type=int, default=None, help="default: --members")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (ours)")
    parser.add_argument("--peer-requests", type=int, default=5, help="timed requests per page (the peer)")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-export", action="store_true", help="skip the background-export measurement")
    parser.add_argument("--keep", action="store_true", help="leave the generated rows in the database")
    parser.add_argument("--import-rows", type=int, default=100_000,
                        help="rows of the roster imported into the built register at the end (0: none)")  # fmt: skip
    parser.add_argument("--import-runs", type=int, default=3, help="times the roster is imported (each run judged)")
    parser.add_argument("--reuse", metavar="FILE", help="time the rows an earlier run with the same FILE kept "
                        "instead of building them; a first run builds them and describes them in FILE")  # fmt: skip
    parser.add_argument("--first-share", type=float, default=None, help="the first county's share of the members")
    parser.add_argument(
        "--province",
        action="store_true",
        help="a province: 10,000,000 members in 100 counties of 11 cities, 100,000 stations (the defaults of the "
        "other sizes change accordingly; each may still be given)",
    )
    args, _others = parser.parse_known_args(argv)  # the other benchmarks' arguments may be in argv too
    if args.province:
        defaults = {"members": 1_000_000, "counties": 3, "scale_stations": 10_000}
        province = {"members": 10_000_000, "counties": 100, "scale_stations": 100_000}
        for name, value in province.items():
            if getattr(args, name) == defaults[name]:
                setattr(args, name, value)
        if args.first_share is None:
            args.first_share = 0.03  # the demo county a large one among a hundred, not most of the province

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import clear_url_caches

    from bench import _scale_data as data

    first_share = args.first_share if args.first_share is not None else data.FIRST_SHARE
    from bench.join_load import collect_static, free_port, start_server, stop_server

    if connection.vendor != "postgresql":
        raise SystemExit("admin_scale needs PostgreSQL (DATABASE_URL=postgres://…)")
    call_command("migrate", verbosity=0)
    collect_static()
    print(f"PostgreSQL: {durability()}")
    applications = args.applications if args.applications is not None else args.members // 5
    activities = args.scale_activities if args.scale_activities is not None else args.members
    reused = Path(args.reuse) if args.reuse else None
    if reused is not None and reused.exists():  # the rows an earlier run kept (``--keep``), described in the file
        built = json.loads(reused.read_text())
        print(f"data: reused from an earlier run (described in {reused}; its build time is that run's)")
    else:
        built = data.build(counties=args.counties, members=args.members, applications=applications,
                           stations=args.scale_stations, activities=activities, first_share=first_share)  # fmt: skip
        if reused is not None:
            reused.write_text(json.dumps(built))
    shown = ", ".join(built["counties"][:5]) + ("…" if len(built["counties"]) > 5 else "")
    print(f"data: {built['members']:,} members in {len(built['counties'])} counties "
          f"({shown}; {first_share:.0%} in the first), {built['applications']:,} "
          f"applications, {built['stations']:,} stations, {built['activities']:,} activities; built with COPY in "
          f"{built['seconds']:.0f} s (members {built['members_seconds']:.0f} s, indexes built after the load in "
          f"{built['index_seconds']:.0f} s, VACUUM ANALYZE included); and {built['history']:,} member history rows, "
          f"{built['visitor_counts']:,} visitor counts, {built['reveals']:,} reveal-log rows, "
          f"{built['allocations']:,} subsidy allocations")  # fmt: skip
    users, wide = personas(built["counties"])
    print(f"personas: {', '.join(users)} (county staff of {built['counties'][0]}, city staff of "
          f"{built['counties'][0][:4]}{', province staff of 14' if 'province' in users else ''}); "
          f"peer: Django's ModelAdmin as superuser")  # fmt: skip

    from django.utils import timezone

    from dashboard.services.snapshots import dashboard_refresh, snapshot_ask

    for user in users.values():  # the rows the personas' first visits would ask for, then the scheduled job
        snapshot_ask(user=user, year=timezone.localdate().year, language=settings.LANGUAGE_CODE)
    started = time.perf_counter()
    refreshed = dashboard_refresh()
    print(f"dashboard figures: the scheduled refresh computed {refreshed['computed']} reaches in "
          f"{time.perf_counter() - started:.1f} s (every 5 min; pages read the stored figures)")  # fmt: skip

    port = free_port()
    previous = os.environ.get("DJANGO_SETTINGS_MODULE")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench._scale_settings"
    try:
        server = start_server(port, workers=2, threads=4, worker_class="gthread")
    finally:
        os.environ["DJANGO_SETTINGS_MODULE"] = previous or "unionhub.settings"
    results, misses = [], 0
    try:
        with override_settings(ROOT_URLCONF="bench._scale_urls"):
            clear_url_caches()
            clients, timers = {}, {}
            for who, user in users.items():
                client = Client(HTTP_HOST="127.0.0.1")
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                clients[who] = client
                cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
                timers[who] = Timer(port, cookie)
            header = (f"{'page':46} {'as':9} {'median':>7} {'p95':>7} {'q':>3} {'KB':>7}  "
                      f"{'peer med':>8} {'peer p95':>8}  {'ratio':>7}   target")  # fmt: skip
            print("\n" + header + "\n" + "-" * len(header))
            pages = member_pages(built)
            county_paths = {}
            for label, query, target, term in pages:
                for who in users:
                    ours_query, peer_query = sort_query(query, clients[who]), query
                    if query.startswith("o="):  # the peer's columns are ours, and it always has the checkbox
                        peer_query = sort_query(query, None)
                    path = "/admin/membership/member/" + (f"?{ours_query}" if ours_query else "")
                    peer_path = "/peer-admin/membership/member/" + (f"?{peer_query}" if peer_query else "")
                    if term is not None:
                        path = search_path(clients[who], "/admin/membership/member/", term)
                        peer_path = f"/peer-admin/membership/member/?q={quote(term)}"
                    county_paths.setdefault(label, path)
                    ours = timers[who].measure(path, args.requests)
                    peer = None
                    if who == "superuser" and not args.no_peer:
                        peer = timers[who].measure(peer_path, args.peer_requests)
                    line, ok = row(label, who, ours, count_queries(clients[who], path), target, peer)
                    misses += not ok
                    print(line, flush=True)
                    results.append(line)
            explain_plans(county_paths)
            queue = "/admin/membership/membershipapplication/"
            from membership.models import Member

            sample = Member.objects.filter(union_id__in=built["unions"][built["counties"][0]]).order_by("pk")[99].pk
            others = [
                ("review queue", queue, QUEUE_MS, None),
                (
                    "review queue, search full resident ID",
                    queue + "?status=all",
                    EXACT_MS,
                    built.get("sample_application_id", "140521"),
                ),  # fmt: skip
                ("review queue, search 尾号 + mobile's last 4", queue + "?status=all", CALLER_MS, "尾号1234"),
                (
                    "review queue, search ID's first 10 digits",
                    queue + "?status=all",
                    CALLER_MS,
                    built.get("sample_application_id", "1405211990")[:10],
                ),  # fmt: skip
                ("applications, every status", queue + "?status=all", LIST_MS, None),
                ("home: the workbench and the admin index", "/admin/", LIST_MS, None),
                ("dashboard", "/admin/dashboard/", QUEUE_MS, None),
                ("station list (admin)", "/admin/stations/station/", LIST_MS, None),
                ("activities (admin)", "/admin/stations/activity/", LIST_MS, None),
                ("visitor counts (admin)", "/admin/stations/visitorcount/", LIST_MS, None),
                ("subsidy allocations (admin)", "/admin/stations/subsidyallocation/", LIST_MS, None),
                ("reveal log (admin)", "/admin/membership/personaldatareveal/", LIST_MS, None),
                ("a member's change page", f"/admin/membership/member/{sample}/change/", LIST_MS, None),
                ("a member's history (audit trail)", f"/admin/membership/member/{sample}/history/", LIST_MS, None),
            ]
            for label, path, target, term in others:
                for who in users:
                    here = search_path(clients[who], path, term) if term is not None else path
                    line, ok = row(label, who, timers[who].measure(here, args.requests),
                                   count_queries(clients[who], here), target)  # fmt: skip
                    misses += not ok
                    print(line, flush=True)
            from dashboard.selectors import dashboard_data

            for who, user in users.items():  # the scheduled job's work per reach (never done on a visit)
                started = time.perf_counter()
                dashboard_data(user)
                ms = (time.perf_counter() - started) * 1000
                label = "dashboard, figures computed afresh (in process)"
                print(f"{label:46} {who:9} {ms:7.1f}   (the 5-minute job's work; a visit reads it stored)")
            public = Timer(port, "")
            for label, path in [
                ("finder, first screen", "/stations/"),
                ("finder, nearest first from a phone", "/stations/?lat=35.70&lng=112.20"),
                ("finder GeoJSON (whole)", "/stations/geojson"),
                ("finder GeoJSON (a map view)", "/stations/geojson?bbox=112.0,35.5,112.4,35.9"),
            ]:
                line, ok = row(label, "public", public.measure(path, args.requests), None, STATION_MS)
                misses += not ok
                print(line, flush=True)
        if not args.no_export:
            misses += export_figures(users["county"], built)
        if args.import_rows:
            misses += import_into_register(args.import_rows, built, args.import_runs)
    finally:
        stop_server(server)
        clear_url_caches()
        if not args.keep and not args.reuse:
            data.clear()
    print(f"\ntargets: {'all met' if not misses else f'{misses} MISSED'} (p95 per page; ≤ {MAX_QUERIES} "
          f"queries; ratio = peer p95 / ours p95, Django's default ModelAdmin as superuser)")  # fmt: skip
