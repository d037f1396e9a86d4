"""Member roster import and export (会员花名册): the services behind the admin's upload, preview, confirm and
download pages and the Celery jobs.

How an import runs, and why:

* ``roster_import_create`` stores the uploaded file and records who imports it into which region.
* ``roster_preview`` streams the file (XLSX through ``unionhub.spreadsheets.xlsx_stream``; XLS and CSV through
  ``unionhub.spreadsheets.read_rows``), validates every row in Python with the online form's rules, and
  writes the normalised rows to the staging table ``RosterRow`` in batches (``COPY`` on PostgreSQL). The
  checks that concern the file as a whole are then set-based SQL: an ID number twice in the file, the union
  (by name or credit code, among the unions the importer reaches - ``unionhub.scoping``), the existing
  member with that ID number in any county, and the classification create / update / unchanged /
  transfer candidate / error. Nothing is written to the member register, and memory stays flat however
  long the file.
* ``roster_apply`` re-checks the staging rows against the register as it is now and writes them in one
  transaction: ``INSERT … SELECT`` for new members (card numbers reserved per county and year on the
  ``CardCounter`` row, numbered with ``ROW_NUMBER()``, gap-free), ``UPDATE … FROM`` for changed ones, and
  the simple-history rows set-based, attributed to the importer with the reason "roster import #<id>".
  All or nothing by default; "valid rows only" writes the valid rows and leaves the rest in the error
  workbook. A person registered in another union is a transfer candidate: reported, never moved.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import threading
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.choices import JOINABLE_KINDS, MemberSource, MemberStatus
from membership.models import CardCounter, Member
from membership.models.roster import ImportMode, ImportStatus, RosterImport, RosterRow, RowAction
from membership.services.roster_rows import (
    COLUMNS,
    DEFAULT_OCCUPATION,
    REQUIRED,
    RowCheck,
    _aliases,
)
from unionhub.models.regions import UnionOrganization
from unionhub.scoping import reach_of, scope_queryset
from unionhub.spreadsheets.reading import MAX_UPLOAD_BYTES, SpreadsheetError, cell_text, map_headers

BATCH = 10_000  # rows read, checked and staged at a time
_CREDIT_CODE_RE = re.compile(r"^[0-9A-Z]{18}$")


# --- Reading files -----------------------------------------------------------------------------------------


def _numbered_rows(roster: RosterImport) -> tuple[list, Iterator[tuple[int, tuple]]]:
    """(header row, iterator of (row number in the sheet, values)) of the stored file."""
    name = roster.filename.lower()
    if name.endswith(".xlsx"):
        from unionhub.spreadsheets.xlsx_stream import xlsx_rows

        roster.file.open("rb")
        rows = xlsx_rows(roster.file.file)
        for _number, header in rows:
            if any(cell_text(v) for v in header):
                return list(header), ((n, r) for n, r in rows if any(v not in (None, "") for v in r))
        raise SpreadsheetError(_("The file is empty."))
    from unionhub.spreadsheets.reading import read_rows

    roster.file.open("rb")
    try:
        data = roster.file.read()
    finally:
        roster.file.close()
    header, rows = read_rows(data, name)
    # read_rows drops blank lines, so numbers count the header as row 1 and each non-blank row after it.
    return header, enumerate(rows, start=2)


# --- Import: create ----------------------------------------------------------------------------------------


def roster_import_create(*, file: UploadedFile, by, mode: str = ImportMode.ALL_OR_NOTHING) -> RosterImport:
    """Record an uploaded roster (nothing is read yet). Refuses a file above the size limit, of a kind
    other than XLSX, XLS or CSV, or a user who may not add members."""
    if not by.has_perm("membership.add_member") or not by.has_perm("membership.add_rosterimport"):
        raise PermissionDenied
    name = (file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not name.lower().endswith((".xlsx", ".xls", ".csv")):
        raise ValidationError(_("Upload an XLSX, XLS or CSV file."))
    if file.size > roster_max_bytes():
        raise ValidationError(
            _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": roster_max_bytes() // 2**20}
        )
    if mode not in ImportMode.values:
        raise ValidationError(_("Choose how to import."))
    roster = RosterImport(
        created_by=by,
        region_id=reach_of(by).region_code,
        filename=name[:200],
        size=file.size,
        mode=mode,
    )
    roster.file.save(_safe_storage_name(name), file, save=False)
    roster.save()
    return roster


def roster_max_bytes() -> int:
    return min(getattr(settings, "ROSTER_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES), MAX_UPLOAD_BYTES)


def roster_runs_async(roster: RosterImport) -> bool:
    """Files above ``ROSTER_ASYNC_THRESHOLD_BYTES`` are checked and imported by a Celery job."""
    return roster.size > settings.ROSTER_ASYNC_THRESHOLD_BYTES


def _safe_storage_name(name: str) -> str:
    stem, _dot, ext = name.rpartition(".")
    stem = re.sub(r"[^\w\-]+", "_", stem)[:60] or "roster"
    return f"{timezone.localtime():%Y%m%d-%H%M%S}-{stem}.{ext.lower()}"


# --- Import: preview ---------------------------------------------------------------------------------------

STAGING_COLUMNS = [
    "roster_id",
    "row_number",
    "resident_id",
    "name",
    "gender",
    "birth_date",
    "mobile",
    "union_text",
    "employer",
    "occupation",
    "join_date",
    "status",
    "card_year",
    "invalid",
    "errors",
    "county",
    "union_problem",
    "duplicate",
    "action",
]
_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_line(row: list) -> str:
    """One staging row in COPY text format. Only the free-text columns can hold a tab, newline or backslash;
    the others are codes, numbers and dates."""
    (roster, number, rid, name, gender, birth, mobile, union, employer, occupation, joined, status, year, invalid,
     errors, county, problem, duplicate, action, union_id, member_id) = row  # fmt: skip
    n = "\\N"
    return (
        f"{roster}\t{number}\t{rid}\t{name.translate(_COPY_ESCAPE)}\t{gender}\t{birth or n}\t{mobile or n}\t"
        f"{union.translate(_COPY_ESCAPE)}\t{n if employer is None else employer.translate(_COPY_ESCAPE)}\t"
        f"{occupation or n}\t{joined or n}\t{status or n}\t{year}\t{'t' if invalid else 'f'}\t"
        f"{errors.translate(_COPY_ESCAPE)}\t{county}\t{problem}\t{'t' if duplicate else 'f'}\t{action}\t"
        f"{n if union_id is None else union_id}\t{n if member_id is None else member_id}\n"
    )


class _BackgroundCopy:
    """COPY staging batches from a second PostgreSQL connection in a thread, so that the server inserts one
    batch while Python reads and checks the next (psycopg2 releases the GIL while it waits on the server).

    Only in autocommit mode (a request, a Celery task): a second connection cannot see the rows of an open
    transaction, so inside ``atomic`` (tests, callers that want one transaction) the COPY stays on Django's
    connection. Each COPY commits on its own, like the synchronous one in autocommit mode; at most one is in
    flight, and the main thread never touches this connection."""

    def __init__(self):
        self.raw = connection.get_new_connection(connection.get_connection_params())
        self.raw.autocommit = True
        self.thread: threading.Thread | None = None
        self.failure: BaseException | None = None

    @staticmethod
    def usable() -> bool:
        return connection.vendor == "postgresql" and connection.get_autocommit()

    def submit(self, sql: str, buffer: io.StringIO) -> None:
        self.wait()
        self.thread = threading.Thread(target=self._run, args=(sql, buffer), daemon=True)
        self.thread.start()

    def _run(self, sql: str, buffer: io.StringIO) -> None:
        try:
            with self.raw.cursor() as cursor:
                cursor.copy_expert(sql, buffer, size=1 << 20)
        except BaseException as exc:  # raised again in the caller's thread by wait()
            self.failure = exc

    def wait(self) -> None:
        """Wait for the COPY in flight; raise its error here if it failed."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure

    def close(self) -> None:
        """Wait for the COPY in flight (its error, if any, no longer matters) and close the connection."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        self.raw.close()


class _Stager:
    """Collects a batch of staging rows, classifies them against the register with one query, and inserts
    them: COPY from an in-memory text buffer on PostgreSQL, executemany elsewhere.

    Classifying per batch in Python (the existing members of a batch come in one indexed query) means each
    staging row is written once, already classified; updating every staging row afterwards would rewrite
    each row and its index entries once per pass."""

    def __init__(self, roster: RosterImport, user):
        self.roster = roster
        self.copy = connection.vendor == "postgresql"
        self.background = _BackgroundCopy() if _BackgroundCopy.usable() else None
        self.rows: list[list] = []
        self.unions: dict[str, tuple[int | None, str, str]] = {}
        self.reachable = scope_queryset(UnionOrganization.objects.all(), user)

    def add(self, row: list) -> None:
        self.rows.append(row)

    def union(self, text: str) -> tuple[int | None, str, str]:
        """(union id, county, problem) of a union text, resolved once per file."""
        if text not in self.unions:
            self.unions[text] = _resolve_union(text, self.reachable)
        return self.unions[text]

    def flush(self) -> None:
        if not self.rows:
            return
        existing = _members_by_id([row[_COL["resident_id"]] for row in self.rows if row[_COL["resident_id"]]])
        for row in self.rows:
            union_id, county, problem = self.union(row[_COL["union_text"]])
            row[_COL["union_id"]], row[_COL["county"]], row[_COL["union_problem"]] = union_id, county, problem
            member = existing.get(row[_COL["resident_id"]])
            row[_COL["member_id"]] = member[0] if member else None
            row[_COL["action"]] = _action(row, member)
        table, columns = RosterRow._meta.db_table, ", ".join(STAGING_COLUMNS)
        sql = f"COPY {table} ({columns}) FROM STDIN"
        if self.background:
            self.background.submit(sql, io.StringIO("".join(map(_copy_line, self.rows))))
            self.rows = []
            return
        with connection.cursor() as cursor:
            if self.copy:
                buffer = io.StringIO("".join(map(_copy_line, self.rows)))
                cursor.cursor.copy_expert(sql, buffer, size=1 << 20)
            else:
                marks = ", ".join(["%s"] * len(STAGING_COLUMNS))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", self.rows)
        self.rows = []

    def finish(self) -> None:
        """Every staged row is in the table (and committed, when copied in the background)."""
        self.flush()
        if self.background:
            self.background.wait()

    def close(self) -> None:
        if self.background:
            self.background.close()
            self.background = None


STAGING_COLUMNS = [*STAGING_COLUMNS, "union_id", "member_id"]
_COL = {name: i for i, name in enumerate(STAGING_COLUMNS)}
# The member fields a roster row can change, in the order _members_by_id returns them after id and union.
_COMPARED = ["name", "mobile", "employer", "occupation", "join_date", "status"]


def _members_by_id(ids: list[str]) -> dict[str, tuple]:
    """resident_id -> (id, union_id, *_COMPARED) of the registered members among ``ids`` (any county)."""
    found = {}
    columns = ["resident_id", "id", "union_id", *_COMPARED]
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands of placeholders.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {Member._meta.db_table} WHERE resident_id = ANY(%s)", [ids]
            )
            return {values[0]: values[1:] for values in cursor.fetchall()}
    queryset = Member.objects.order_by()
    for start in range(0, len(ids), 5000):
        for values in queryset.filter(resident_id__in=ids[start : start + 5000]).values_list(*columns):
            found[values[0]] = values[1:]
    return found


def _action(row: list, member: tuple | None) -> str:
    if row[_COL["invalid"]] or row[_COL["union_problem"]]:
        return RowAction.ERROR
    if member is None:
        return RowAction.CREATE
    if member[1] != row[_COL["union_id"]]:
        return RowAction.TRANSFER
    for offset, field in enumerate(_COMPARED, start=2):
        value = row[_COL[field]]
        if value is not None and value != member[offset]:
            return RowAction.UPDATE
    return RowAction.UNCHANGED


def _resolve_union(text: str, reachable) -> tuple[int | None, str, str]:
    """(union id, county code, problem) for a union named by name or unified social credit code, among the
    unions the importing user reaches (``reachable`` is already scoped)."""
    key = text.strip()
    if not key:
        return None, "", "missing"
    lookup = Q(credit_code=key.upper()) if _CREDIT_CODE_RE.match(key.upper()) else Q(name=key)
    found = list(reachable.filter(lookup).values_list("pk", "region_id", "kind")[:2])
    if not found:
        return None, "", "scope" if UnionOrganization.objects.filter(lookup).exists() else "unknown"
    if len(found) > 1:
        return None, "", "ambiguous"
    union_id, region, kind = found[0]
    if kind not in JOINABLE_KINDS or len(region) < 6:
        return None, "", "kind"
    return union_id, region[:6], ""


def roster_preview(*, roster: RosterImport, user=None, progress: Callable[[int], None] | None = None) -> RosterImport:
    """Read, validate and classify every row of the roster, writing only staging rows. Idempotent: a second
    run replaces the first run's staging rows. A file that cannot be read at all (hostile, broken, missing
    required columns) ends the import as failed with the reason in ``error``."""
    user = user or roster.created_by
    RosterRow.objects.filter(roster=roster).delete()
    RosterImport.objects.filter(pk=roster.pk).update(status=ImportStatus.PREVIEWING, error="")
    roster.status = ImportStatus.PREVIEWING
    today = timezone.localtime(roster.created_at).date()
    stager = _Stager(roster, user)
    try:
        header, rows = _numbered_rows(roster)
        fields, unknown, missing = map_headers(header, _aliases(), REQUIRED)
        if missing:
            raise SpreadsheetError(
                _("The file has no column for: %(columns)s. Download the template to see the columns.")
                % {"columns": ", ".join(COLUMNS[field][0] for field in missing)}
            )
        duplicated = sorted({f for f in fields if f and not f.startswith("_") and fields.count(f) > 1})
        if duplicated:
            raise SpreadsheetError(
                _("More than one column holds: %(columns)s.")
                % {"columns": ", ".join(COLUMNS[field][0] for field in duplicated)}
            )
        checker = RowCheck(fields=fields, headers=[cell_text(h) for h in header], today=today)
        total = 0
        for number, values in rows:
            out, errors = checker.check(values)
            stager.add(
                [
                    roster.pk,
                    number,
                    out["resident_id"],
                    out["name"],
                    out["gender"],
                    out["birth_date"],
                    out["mobile"],
                    out["union_text"],
                    out["employer"],
                    out["occupation"],
                    out["join_date"],
                    out["status"],
                    out["card_year"],
                    bool(errors),
                    json.dumps(errors, ensure_ascii=False) if errors else "[]",
                    "",
                    "",
                    False,
                    "",
                    None,
                    None,
                ]
            )
            total += 1
            if total % BATCH == 0:
                stager.flush()
                if progress:
                    progress(total, stage=_("checking rows"))
        stager.finish()
        if not total:
            raise SpreadsheetError(_("The file has no member rows."))
    except SpreadsheetError as exc:
        stager.close()
        RosterRow.objects.filter(roster=roster).delete()
        _finish(roster, status=ImportStatus.FAILED, error=str(exc))
        return roster
    finally:
        stager.close()
        roster.file.close()
    _mark_duplicates(roster)
    counts = roster_counts(roster)
    RosterImport.objects.filter(pk=roster.pk).update(status=ImportStatus.PREVIEWED, unknown_columns=unknown, **counts)
    if progress:
        progress(total, total)
    roster.refresh_from_db()
    return roster


def _finish(roster: RosterImport, *, status: str, error: str = "") -> None:
    RosterImport.objects.filter(pk=roster.pk).update(status=status, error=error, finished_at=timezone.now())
    roster.refresh_from_db()


def _mark_duplicates(roster: RosterImport) -> None:
    """An ID number on more than one row of the file is an error on every such row (set-based; only those
    rows are written)."""
    staged = RosterRow.objects.filter(roster=roster)
    # Fetched first: a subquery on a table just filled (no statistics yet) can get a nested-loop plan.
    twice = list(
        staged.exclude(resident_id="")
        .order_by()
        .values("resident_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("resident_id", flat=True)
    )
    for start in range(0, len(twice), 5000):
        staged.filter(resident_id__in=twice[start : start + 5000]).update(duplicate=True, action=RowAction.ERROR)


def _recheck(roster: RosterImport, user) -> None:
    """Classify the staged rows again against the register as it is now, writing only the rows whose
    classification changed: someone registered, changed or removed since the preview, a union deleted or
    moved out of the user's reach."""
    staged = RosterRow.objects.filter(roster=roster)
    reachable = scope_queryset(UnionOrganization.objects.all(), user)
    for union_id in staged.exclude(union_id=None).order_by().values_list("union_id", flat=True).distinct():
        union = reachable.filter(pk=union_id, kind__in=JOINABLE_KINDS).values_list("region_id", flat=True).first()
        if union is None or len(union) < 6:
            staged.filter(union_id=union_id).update(union_problem="scope", action=RowAction.ERROR)
    table, member = RosterRow._meta.db_table, Member._meta.db_table
    same = (
        "m.name = t.name AND (t.mobile IS NULL OR m.mobile = t.mobile) "
        "AND (t.employer IS NULL OR m.employer = t.employer) "
        "AND (t.occupation IS NULL OR m.occupation = t.occupation) "
        "AND (t.join_date IS NULL OR m.join_date = t.join_date) AND (t.status IS NULL OR m.status = t.status)"
    )
    action = f"CASE WHEN m.union_id <> t.union_id THEN 'transfer' WHEN {same} THEN 'unchanged' ELSE 'update' END"
    with connection.cursor() as cursor:
        # Registered since the preview (index probes on the creates only).
        cursor.execute(
            f"UPDATE {table} AS t SET member_id = m.id FROM {member} AS m "
            f"WHERE m.resident_id = t.resident_id AND t.roster_id = %s AND t.action = 'create'",
            [roster.pk],
        )
        # Removed since the preview.
        cursor.execute(
            f"UPDATE {table} AS t SET member_id = NULL, action = 'create' WHERE t.roster_id = %s "
            f"AND t.action <> 'error' AND t.member_id IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {member} m WHERE m.id = t.member_id)",
            [roster.pk],
        )
        # Changed since the preview: one join, writing only the rows whose action differs.
        cursor.execute(
            f"UPDATE {table} AS t SET action = {action} FROM {member} AS m "
            f"WHERE m.id = t.member_id AND t.roster_id = %s AND t.action <> 'error' AND t.action <> {action}",
            [roster.pk],
        )


def roster_counts(roster: RosterImport) -> dict[str, int]:
    """Rows by action, as the RosterImport count fields."""
    by_action = dict(RosterRow.objects.filter(roster=roster).order_by().values_list("action").annotate(n=Count("id")))
    return {
        "rows": sum(by_action.values()),
        "created": by_action.get(RowAction.CREATE, 0),
        "updated": by_action.get(RowAction.UPDATE, 0),
        "unchanged": by_action.get(RowAction.UNCHANGED, 0),
        "transfers": by_action.get(RowAction.TRANSFER, 0),
        "errors": by_action.get(RowAction.ERROR, 0),
    }


# --- Import: apply -----------------------------------------------------------------------------------------


def _pad6(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"lpad(CAST({expression} AS text), 6, '0')"
    return f"substr('000000' || ({expression}), -6, 6)"


def _reserve_card_numbers(county: str, year: int, count: int) -> int:
    """Take ``count`` card numbers of a county and year; return the sequence number before the first.

    The same row lock as ``services.card_number_next``: ``UPDATE … SET last = last + n`` holds the counter
    row until this transaction ends, so numbers stay unique and gap-free (a rollback returns them)."""
    counter = CardCounter.objects.filter(county_id=county, year=year)
    if not counter.update(last=F("last") + count):
        CardCounter.objects.bulk_create([CardCounter(county_id=county, year=year, last=0)], ignore_conflicts=True)
        counter.update(last=F("last") + count)
    last = counter.values_list("last", flat=True).get()
    if last > 999_999:
        raise ValidationError(
            _("County %(county)s has used up its card numbers for %(year)s.") % {"county": county, "year": year}
        )
    return last - count


def _history_insert(cursor, roster: RosterImport, by, action: str, kind: str, now) -> None:
    """History rows for the members the import created or changed, set-based."""
    history = Member.history.model
    # New members are found by their ID number (their staging rows have no member id).
    join = "s.resident_id = m.resident_id" if action == RowAction.CREATE else "s.member_id = m.id"
    member_columns = {f.column for f in Member._meta.concrete_fields}
    columns, select, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.column == "history_id":
            continue
        columns.append(field.column)
        if field.column in member_columns:
            select.append(f"m.{field.column}")
        elif field.column == "history_date":
            select.append("%s")
            params.append(now)
        elif field.column == "history_change_reason":
            select.append("%s")
            params.append(f"roster import #{roster.pk}")
        elif field.column == "history_type":
            select.append("%s")
            params.append(kind)
        elif field.column == "history_user_id":
            select.append("%s")
            params.append(by.pk if by is not None else None)
        else:
            raise RuntimeError(f"unexpected history column {field.column}")
    cursor.execute(
        f"INSERT INTO {history._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(select)} FROM {Member._meta.db_table} m "
        f"JOIN {RosterRow._meta.db_table} s ON {join} WHERE s.roster_id = %s AND s.action = %s",
        [*params, roster.pk, action],
    )


def _insert_creates(cursor, roster: RosterImport, today: dt.date, now) -> int:
    table, member = RosterRow._meta.db_table, Member._meta.db_table
    groups = (
        RosterRow.objects.filter(roster=roster, action=RowAction.CREATE)
        .order_by()
        .values_list("county", "card_year")
        .annotate(n=Count("id"))
    )
    created = 0
    for county, year, count in sorted(groups):
        base = _reserve_card_numbers(county, year, count)
        card = f"%s || {_pad6('%s + ROW_NUMBER() OVER (ORDER BY s.row_number)')}"
        cursor.execute(
            f"""
            INSERT INTO {member} (name, resident_id, gender, birth_date, mobile, employer, occupation, union_id,
                                  join_date, card_number, status, source, created_at)
            SELECT s.name, s.resident_id, s.gender, s.birth_date, COALESCE(s.mobile, ''), COALESCE(s.employer, ''),
                   COALESCE(s.occupation, %s), s.union_id, COALESCE(s.join_date, %s), {card},
                   COALESCE(s.status, %s), %s, %s
            FROM {table} s
            WHERE s.roster_id = %s AND s.action = 'create' AND s.county = %s AND s.card_year = %s
            ORDER BY s.row_number
            """,
            [
                DEFAULT_OCCUPATION,
                today,
                f"{county}{year}",
                base,
                MemberStatus.ACTIVE,
                MemberSource.IMPORT,
                now,
                roster.pk,
                county,
                year,
            ],
        )
        created += count
    return created


def _apply_updates(cursor, roster: RosterImport) -> None:
    table, member = RosterRow._meta.db_table, Member._meta.db_table
    cursor.execute(
        f"""
        UPDATE {member} AS m SET
          name = s.name,
          mobile = COALESCE(s.mobile, m.mobile),
          employer = COALESCE(s.employer, m.employer),
          occupation = COALESCE(s.occupation, m.occupation),
          join_date = COALESCE(s.join_date, m.join_date),
          status = COALESCE(s.status, m.status)
        FROM {table} s
        WHERE s.member_id = m.id AND s.roster_id = %s AND s.action = 'update'
        """,
        [roster.pk],
    )


def roster_apply(
    *, roster: RosterImport, by=None, mode: str | None = None, progress: Callable[..., None] | None = None
) -> RosterImport:
    """Write the checked roster to the member register, in one transaction.

    The staging rows are classified again against the register as it is now (another import or an
    approval may have registered someone since the preview). All or nothing: any row with an error and
    nothing is written (the import is ``refused``). Valid rows only: the valid rows are written and the rest
    stay in the error workbook. Transfer candidates and unchanged rows are never written. Safe to call twice:
    the import row is locked and only a checked, not yet applied import is written."""
    by = by or roster.created_by
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster.pk)
        if locked.status not in (ImportStatus.PREVIEWED, ImportStatus.IMPORTING):
            roster.refresh_from_db()
            return roster
        if mode:
            locked.mode = mode
        if RosterRow.objects.filter(roster=locked).count() != locked.rows:
            # The staging table is unlogged on PostgreSQL: a database crash empties it. Never write part of it.
            RosterImport.objects.filter(pk=locked.pk).update(
                status=ImportStatus.FAILED,
                finished_at=timezone.now(),
                error=_("The checked rows are no longer available; upload the file again."),
            )
            roster.refresh_from_db()
            return roster
        if progress:
            progress(0, locked.rows, stage=_("checking against the register"))
        _recheck(locked, by)
        counts = roster_counts(locked)
        now = timezone.now()
        if counts["errors"] and locked.mode == ImportMode.ALL_OR_NOTHING:
            RosterImport.objects.filter(pk=locked.pk).update(
                mode=locked.mode, status=ImportStatus.REFUSED, finished_at=now, written=False, **counts
            )
        else:
            today = timezone.localtime(locked.created_at).date()
            with connection.cursor() as cursor:
                if progress:
                    progress(0, locked.rows, stage=_("writing members"))
                created = _insert_creates(cursor, locked, today, now)
                if progress:
                    progress(created, locked.rows, stage=_("writing history"))
                _history_insert(cursor, locked, by, RowAction.CREATE, "+", now)
                _apply_updates(cursor, locked)
                _history_insert(cursor, locked, by, RowAction.UPDATE, "~", now)
            RosterImport.objects.filter(pk=locked.pk).update(
                mode=locked.mode,
                status=ImportStatus.DONE,
                finished_at=now,
                written=bool(counts["created"] or counts["updated"]),
                **counts,
            )
    roster.refresh_from_db()
    return roster


CHECK_JOB = "membership.roster_check"
IMPORT_JOB = "membership.roster_import"


def roster_check_start(*, roster: RosterImport, user=None) -> RosterImport:
    """Check the roster as a job: in the background for a large file, at once in the caller for a small one
    (the same job either way, claimed once and reported the same way)."""
    from unionhub.services.jobs import job_start

    job_start(kind=CHECK_JOB, user=user or roster.created_by, target=roster, in_background=roster_runs_async(roster))
    roster.refresh_from_db()
    return roster


def roster_import_start(*, roster: RosterImport, by, mode: str) -> RosterImport:
    """Write a checked roster as a job (in the background for a large file). Only a checked import is
    started, once: the status moves to importing in the same UPDATE that claims it."""
    from unionhub.services.jobs import job_start

    claimed = RosterImport.objects.filter(pk=roster.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.IMPORTING, mode=mode, error=""
    )
    if claimed:
        job_start(kind=IMPORT_JOB, user=by, target=roster, in_background=roster_runs_async(roster))
    roster.refresh_from_db()
    return roster


def roster_check_run(*, roster_id: int, progress=None) -> dict:
    """The check job's work (called by the task)."""
    roster = roster_preview(roster=RosterImport.objects.get(pk=roster_id), progress=progress)
    return {"status": roster.status, "rows": roster.rows, "errors": roster.errors}


def roster_import_run(*, roster_id: int, user_id: int | None, progress=None) -> dict:
    """The import job's work (called by the task): written by the user who confirmed."""
    from django.contrib.auth import get_user_model

    roster = RosterImport.objects.get(pk=roster_id)
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    roster = roster_apply(roster=roster, by=by or roster.created_by, progress=progress)
    return {"status": roster.status, "created": roster.created, "updated": roster.updated}


def roster_job_failed(*, roster_id: int, stage: str, message: str) -> None:
    """A check or import whose job failed goes back to where the user can start again: a failed check
    shows the message (the file can be checked again); a failed import is checked again and can be
    confirmed again. Its transaction rolled back, so nothing of it was written."""
    if stage == "check":
        RosterRow.objects.filter(roster_id=roster_id).delete()
        RosterImport.objects.filter(pk=roster_id, status__in=(ImportStatus.UPLOADED, ImportStatus.PREVIEWING)).update(
            status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
        )
    else:
        RosterImport.objects.filter(pk=roster_id, status=ImportStatus.IMPORTING).update(
            status=ImportStatus.PREVIEWED, error=message
        )
