"""Member roster import: our set-based import against django-import-export's ModelResource and a plain COPY.

``python -m bench roster_import -- --rows 10000`` for a quick run; ``--million`` adds the 1M-row memory run.

Figures (one run, PostgreSQL): an XLSX of N valid new members (shared strings, as Excel saves it) imported
end to end (upload record, preview, confirm); the same file re-imported (0 rows written); django-import-
export's default ``modelresource_factory(Member)`` importing the same rows read through tablib, with the
derived columns it needs added (gender, birth date, union id, card number) - on a smaller N and extrapolated
linearly when the full run would take more than about 3 minutes; and a plain ``COPY`` of the same rows into
the member table. The memory run imports a 1M-row file in a child process and reports its peak resident
set size from ``resource.getrusage`` (``ru_maxrss``), Django start-up included, plus the peak of the reader
process that parses the sheet beside it (``unionhub.spreadsheets.read_ahead``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HEADERS = ["姓名", "身份证号", "手机号", "所属工会", "工作单位", "职业", "入会日期", "会员状态"]
UNION = "沁水县基准测试有限公司工会"
COUNTY = "140521"
TOWN = "140521104"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红春建"
IE_BUDGET_SECONDS = 180
# Join dates spread over ten years: a county has 999,999 card numbers a year (the card number format).


def card_number(i: int) -> str:
    """The card number row ``i`` gets when imported alone: per join year, in file order."""
    return f"{COUNTY}{2016 + i % 10}{i // 10 + 1:06d}"


TARGET_SECONDS, REIMPORT_SECONDS, MEMORY_MB, SPEEDUP, SQLITE_SECONDS = 10, 5, 300, 20, 20


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhub.settings")
    import django

    django.setup()


def member_row(i: int) -> list:
    from unionhub.validators import resident_id_check_char

    birth = dt.date(1960, 1, 1) + dt.timedelta(days=i // 1000)
    base = f"{COUNTY}{birth:%Y%m%d}{i % 1000:03d}"
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 131) % len(GIVEN)]
    return [name, base + resident_id_check_char(base), f"139{i:08d}", UNION, "基准测试有限公司", "矿工",
            f"{2016 + i % 10}-03-01", "在会"]  # fmt: skip


def write_roster(path: Path, rows: int, start: int = 0) -> None:
    """An XLSX as Excel writes it: shared strings, a dimension, cell references; text IDs, numeric mobiles."""
    strings: dict[str, int] = {}

    def sst(text: str) -> int:
        index = strings.get(text)
        if index is None:
            index = strings[text] = len(strings)
        return index

    columns = "ABCDEFGH"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:H%d"/><sheetData>' % (rows + 1)
            )
            chunk = []
            cells = "".join(f'<c r="{c}1" t="s"><v>{sst(h)}</v></c>' for c, h in zip(columns, HEADERS, strict=True))
            chunk.append(f'<row r="1">{cells}</row>')
            for n in range(rows):
                values = member_row(start + n)
                r = n + 2
                parts = [f'<row r="{r}">']
                for c, value in zip(columns, values, strict=True):
                    if c == "C":
                        parts.append(f'<c r="C{r}"><v>{value}</v></c>')
                    else:
                        parts.append(f'<c r="{c}{r}" t="s"><v>{sst(value)}</v></c>')
                parts.append("</row>")
                chunk.append("".join(parts))
                if len(chunk) >= 10000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
            shared.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats'
                b'.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(strings), len(strings))
            )
            batch = []
            for text in strings:
                batch.append(f"<si><t>{escape(text)}</t></si>")
                if len(batch) >= 10000:
                    shared.write("".join(batch).encode())
                    batch = []
            shared.write(("".join(batch) + "</sst>").encode())
        strings.clear()
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
            '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml'
            '/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="会员" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"'
            "/></Relationships>",
        )


def prepare():
    """Migrated database, the county, one union and a county-staff importer; returns the importer."""
    from django.core.management import call_command

    from tests.factories import UnionOrganizationFactory, UserFactory, ensure_regions
    from unionhub.models.regions import Role, UnionOrganization

    call_command("migrate", verbosity=0)
    ensure_regions()
    if not UnionOrganization.objects.filter(name=UNION).exists():
        UnionOrganizationFactory(name=UNION, region_id=TOWN)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="bench-importer").first()
    return user or UserFactory(username="bench-importer", role=Role.COUNTY_STAFF, region=COUNTY)


def clear_members() -> None:
    from django.db import connection

    from membership.models import CardCounter, Member, RosterImport

    with connection.cursor() as cursor:
        tables = [Member.history.model._meta.db_table, Member._meta.db_table, "membership_rosterrow"]
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
    RosterImport.objects.all().delete()
    CardCounter.objects.all().delete()


def ours(path: Path, user, phases: list | None = None) -> tuple[float, object]:
    """(seconds, the import) of one upload, check and confirm; ``phases`` gets (upload and check, confirm)."""
    from django.core.files import File

    from membership.services import roster as services

    started = time.perf_counter()
    with path.open("rb") as handle:
        upload = File(handle, name=path.name)
        upload.size = path.stat().st_size
        roster = services.roster_import_create(file=upload, by=user)
    roster = services.roster_preview(roster=roster)
    checked = time.perf_counter()
    roster = services.roster_apply(roster=roster, by=user)
    if phases is not None:
        phases.append((checked - started, time.perf_counter() - checked))
    return time.perf_counter() - started, roster


def import_export(path: Path, *, tuned: bool = False, history: bool = False) -> tuple[float, int]:
    """django-import-export's ModelResource, reading the file through tablib: its default, or ``tuned`` for
    speed as its documentation advises for large imports (``use_bulk``, ``skip_diff``, ``force_init_instance``
    so that no row is looked up, ``batch_size`` 1,000). A bulk create writes no history row; ``history``
    adds them as simple-history's ``bulk_history_create`` does (timed with the import): the same rows ours
    writes, so that the comparison is fair."""
    import tablib
    from import_export.resources import ModelResource, modelresource_factory

    from membership.models import Member
    from unionhub.models.regions import UnionOrganization
    from unionhub.validators import resident_id_birth_date, resident_id_gender

    union_id = UnionOrganization.objects.get(name=UNION).pk
    started = time.perf_counter()
    dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    rows = []
    for n, row in enumerate(dataset.dict, start=1):
        rid = row["身份证号"]
        rows.append(
            [
                "", row["姓名"], rid, resident_id_gender(rid), resident_id_birth_date(rid), str(row["手机号"]),
                union_id, row["工作单位"], "miner", row["入会日期"], card_number(n - 1),
                "active", "import", COUNTY,
            ]
        )  # fmt: skip
    # The member's county is given, as ours takes it from the union it resolved (a bulk create calls no save()).
    headers = ["id", "name", "resident_id", "gender", "birth_date", "mobile", "union", "employer", "occupation",
               "join_date", "card_number", "status", "source", "county"]  # fmt: skip
    data = tablib.Dataset(*rows, headers=headers)
    if tuned:

        class Tuned(ModelResource):
            class Meta:
                model = Member
                use_bulk = True
                skip_diff = True
                force_init_instance = True
                batch_size = 1000

        resource = Tuned()
    else:
        resource = modelresource_factory(Member)()
    result = resource.import_data(data, dry_run=False, use_transactions=True, raise_errors=True)
    if history:
        Member.history.bulk_history_create(list(Member.objects.all()), batch_size=1000)
    elapsed = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors()
    return elapsed, Member.objects.count()


def plain_copy(rows: int) -> float:
    """COPY of the same rows (derived columns computed beforehand, not timed) into the member table."""
    from django.db import connection
    from django.utils import timezone

    from membership.models import Member
    from unionhub.models.regions import UnionOrganization
    from unionhub.validators import resident_id_birth_date, resident_id_gender

    union_id = UnionOrganization.objects.get(name=UNION).pk
    now = timezone.now().isoformat()
    buffer = io.StringIO()
    for i in range(rows):
        name, rid, mobile, _union, employer, _occ, joined, _status = member_row(i)
        card = card_number(i)
        birth = resident_id_birth_date(rid)
        buffer.write(
            f"{name}\t{rid}\t{resident_id_gender(rid)}\t{birth}\t{mobile}\t{employer}\tminer\t{union_id}\t"
            f"{COUNTY}\t{joined}\t{card}\tactive\timport\t{now}\n"
        )
    buffer.seek(0)
    columns = "name, resident_id, gender, birth_date, mobile, employer, occupation, union_id, county, join_date, " + (
        "card_number, status, source, created_at"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {Member._meta.db_table} ({columns}) FROM STDIN", buffer)
    return time.perf_counter() - started


def through_jobs(path: Path, user) -> tuple[float, object]:
    """As a user meets it on ``make run``: upload, the check as a background job (a thread of this process,
    ``JOB_RUNNER=thread``), confirm, the import as a job; polled as the page's progress bar polls."""
    from django.core.files import File

    from membership.models import ImportStatus, RosterImport
    from membership.services import roster as services

    def wait(roster, until):
        while True:
            time.sleep(0.05)
            roster = RosterImport.objects.get(pk=roster.pk)
            if roster.status in until:
                return roster

    started = time.perf_counter()
    with path.open("rb") as handle:
        upload = File(handle, name=path.name)
        upload.size = path.stat().st_size
        roster = services.roster_import_create(file=upload, by=user)
    services.roster_check_start(roster=roster, user=user)
    roster = wait(roster, {ImportStatus.PREVIEWED, ImportStatus.REFUSED, ImportStatus.FAILED})
    assert roster.status == ImportStatus.PREVIEWED, (roster.status, roster.error)
    services.roster_import_start(roster=roster, by=user, mode=roster.mode)
    roster = wait(roster, {ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.REFUSED})
    return time.perf_counter() - started, roster


def sqlite_child(path: str) -> None:
    """Run in a child process with DATABASE_URL pointing at a fresh SQLite file (the embedded default of
    ``make run``, WAL mode, jobs in a thread): the same import end to end twice; prints both times."""
    _setup_django()
    from django.conf import settings

    assert settings.JOB_RUNNER == "thread", settings.JOB_RUNNER
    user = prepare()
    clear_members()
    first, roster = through_jobs(Path(path), user)
    assert roster.status == "done", (roster.status, roster.error)
    again, second = through_jobs(Path(path), user)
    assert second.unchanged == roster.created, (second.unchanged, roster.created)
    print(f"CHILD {first:.2f} {again:.2f} {roster.created}")


def memory_child(path: str) -> None:
    """Run in a child process: import one file and print the peak RSS in MB."""
    import resource

    _setup_django()
    from django.conf import settings

    settings.ROSTER_MAX_UPLOAD_BYTES = 10**10
    import unionhub.spreadsheets

    unionhub.spreadsheets.MAX_UPLOAD_BYTES = 10**10
    import membership.services.roster

    membership.services.roster.MAX_UPLOAD_BYTES = 10**10
    user = prepare()
    clear_members()
    seconds, roster = ours(Path(path), user)
    # The import's process and, added, the reader process it starts (``read_ahead``): both at their peaks.
    peak = sum(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    print(f"CHILD {seconds:.1f} {peak:.0f} {roster.created} {roster.status}")


def _child(work: Path, code: str, env: dict) -> list[str]:
    child = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "MEDIA_ROOT": str(work / "media"), **env},
        cwd=str(Path(__file__).resolve().parent.parent),
    )
    line = next((x for x in child.stdout.splitlines() if x.startswith("CHILD ")), None)
    if line is None:
        print(child.stdout[-2000:], child.stderr[-4000:])
        raise SystemExit("the child run failed")
    return line.split()[1:]


def sqlite_run(work: Path, path: Path, n: int) -> None:
    """The embedded default (``make run``): the same file into a fresh SQLite database (WAL mode)."""
    database = work / "embedded.sqlite3"
    first, again, created = _child(
        work,
        f"from bench.roster_import import sqlite_child; sqlite_child({str(path)!r})",
        {"DATABASE_URL": f"sqlite:///{database}", "REDIS_URL": "", "CELERY_BROKER_URL": ""},
    )
    first, again = float(first), float(again)
    print(f"SQLite (the embedded default: WAL, jobs in a thread), upload to imported: {first:.2f} s, "
          f"{n / first:,.0f} rows/s, {created} created; re-import {again:.2f} s")  # fmt: skip
    scaled = first * 100_000 / n
    verdict = "ok" if scaled <= SQLITE_SECONDS else "MISSED"
    note = "" if n == 100_000 else f" (scaled from {n} rows)"
    print(f"target: SQLite {scaled:.1f} s per 100,000 rows <= {SQLITE_SECONDS} s: {verdict}{note}")


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench roster_import")
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the roster (default 100000)")
    parser.add_argument("--ie-rows", type=int, default=2000, help="rows for the first django-import-export run")
    parser.add_argument("--million", action="store_true", help="also import 1,000,000 rows and report peak memory")
    parser.add_argument("--million-rows", type=int, default=1_000_000, help=argparse.SUPPRESS)
    parser.add_argument("--no-sqlite", action="store_true", help="skip the embedded-default (SQLite) run")
    args, _others = parser.parse_known_args(argv)  # the other benchmarks' arguments may be in argv too
    _setup_django()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; figures are not the ones the issue asks for")
    work = Path(tempfile.mkdtemp(prefix="roster-bench-"))
    settings.MEDIA_ROOT = str(work / "media")
    user = prepare()
    clear_members()
    n = args.rows
    path = work / f"roster-{n}.xlsx"
    started = time.perf_counter()
    write_roster(path, n)
    print(f"generated {n} rows: {path.stat().st_size / 2**20:.1f} MB in {time.perf_counter() - started:.1f} s")

    # django-import-export: a first run on a small file; the full N only if it fits the budget.
    ie_n = min(args.ie_rows, n)
    ie_path = work / f"roster-{ie_n}.xlsx"
    write_roster(ie_path, ie_n)
    ie_seconds, created = import_export(ie_path)
    assert created == ie_n
    clear_members()
    projected = ie_seconds * n / ie_n
    if ie_n < n and projected <= IE_BUDGET_SECONDS:
        ie_seconds, created = import_export(path)
        ie_n = n
        clear_members()
    ie_rate = ie_n / ie_seconds
    ie_note = "" if ie_n == n else f" (measured on {ie_n} rows, extrapolated linearly to {n})"
    ie_total = n / ie_rate

    # django-import-export tuned for speed: the full N when it fits the budget, else a tenth of it.
    tuned_n = n if projected / 10 <= IE_BUDGET_SECONDS else max(ie_n, n // 10)
    tuned_path = path if tuned_n == n else work / f"roster-tuned-{tuned_n}.xlsx"
    if tuned_n != n:
        write_roster(tuned_path, tuned_n)
    tuned_seconds, created = import_export(tuned_path, tuned=True)
    assert created == tuned_n
    clear_members()
    tuned_total = tuned_seconds * n / tuned_n
    history_seconds, created = import_export(tuned_path, tuned=True, history=True)
    assert created == tuned_n
    clear_members()
    history_total = history_seconds * n / tuned_n
    tuned_note = "" if tuned_n == n else f" (measured on {tuned_n} rows, extrapolated linearly to {n})"

    copy_seconds = plain_copy(n)
    clear_members()

    ours_seconds, roster = ours(path, user)
    assert roster.status == "done" and roster.created == n, (roster.status, roster.created, roster.error)
    again_seconds, again = ours(path, user)
    assert again.created == again.updated == 0 and again.unchanged == n

    rate = n / ours_seconds
    print(f"ours, end to end (upload record, preview, confirm): {ours_seconds:.2f} s, {rate:,.0f} rows/s")
    print(f"re-import of the unchanged file: {again_seconds:.2f} s, 0 rows written")
    print(f"django-import-export ModelResource: {ie_total:.1f} s, {ie_rate:,.0f} rows/s{ie_note}")
    print(f"plain COPY into the member table: {copy_seconds:.2f} s, {n / copy_seconds:,.0f} rows/s")
    print(f"django-import-export tuned (use_bulk, skip_diff, force_init_instance, batches of 1000): "
          f"{tuned_total:.1f} s, {n / tuned_total:,.0f} rows/s{tuned_note}")  # fmt: skip
    print(f"ratio ours / django-import-export (speed-up): {ie_total / ours_seconds:.1f}x (target >= {SPEEDUP}x)")
    print(f"django-import-export tuned, writing the same history rows as ours (bulk_history_create): "
          f"{history_total:.1f} s, {n / history_total:,.0f} rows/s{tuned_note}")  # fmt: skip
    print(f"ratio ours / django-import-export tuned (speed-up; it writes no history, ours writes {n:,} rows): "
          f"{tuned_total / ours_seconds:.1f}x")  # fmt: skip
    print(f"ratio ours / django-import-export tuned with the same history (speed-up): "
          f"{history_total / ours_seconds:.1f}x (target >= 10x)")  # fmt: skip
    print(f"ratio ours / plain COPY (rows per second): {rate / (n / copy_seconds):.3f}")
    if n == 100_000:
        print(f"target: {ours_seconds:.2f} s <= {TARGET_SECONDS} s: "
              f"{'ok' if ours_seconds <= TARGET_SECONDS else 'MISSED'}")  # fmt: skip
        print(f"target: re-import {again_seconds:.2f} s <= {REIMPORT_SECONDS} s: "
              f"{'ok' if again_seconds <= REIMPORT_SECONDS else 'MISSED'}")  # fmt: skip
    else:
        print(f"(the 10 s and 5 s targets are for 100,000 rows; scaled to {n}: "
              f"{ours_seconds * 100_000 / n:.1f} s and {again_seconds * 100_000 / n:.1f} s)")  # fmt: skip
    clear_members()

    if not args.no_sqlite:
        sqlite_run(work, path, n)

    if args.million:
        big = work / f"roster-{args.million_rows}.xlsx"
        started = time.perf_counter()
        write_roster(big, args.million_rows)
        print(f"generated {args.million_rows} rows: {big.stat().st_size / 2**20:.1f} MB "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        seconds, peak, created, status = _child(
            work, f"from bench.roster_import import memory_child; memory_child({str(big)!r})", {}
        )
        print(f"{args.million_rows} rows: {status}, {created} created in {float(seconds):.1f} s; peak RSS {peak} MB "
              f"(ru_maxrss of the importer plus its reader process, Django included; target <= {MEMORY_MB} MB: "
              f"{'ok' if float(peak) <= MEMORY_MB else 'MISSED'})")  # fmt: skip
        clear_members()
