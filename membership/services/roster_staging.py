"""Reading a stored roster file and staging its rows (``RosterRow``): the layout (sheet, header row, column
mapping), the batches classified against the register, and ``COPY`` on PostgreSQL (from a second connection
in a thread where it can) or batched transactions elsewhere."""

import io
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import connection, transaction
from django.db.models import Q

from membership.choices import JOINABLE_KINDS
from membership.models import Member
from membership.models.roster import RosterImport, RosterRow, RowAction
from membership.services.roster_rows import REQUIRED, _aliases, column_letter
from unionhub.models.regions import UnionOrganization
from unionhub.personal import mask_text
from unionhub.scoping import scope_queryset
from unionhub.spreadsheets.layout import (
    IGNORE,
    SheetFacts,
    SheetFactsLater,
    Table,
    first_rows,
    locate_table,
    map_headers,
    xlsx_sheet_facts,
)
from unionhub.spreadsheets.read_ahead import sheet_rows
from unionhub.spreadsheets.reading import SpreadsheetError, cell_text, sheet_reader
from unionhub.spreadsheets.xlsx_stream import xlsx_rows, xlsx_sheet_names

BATCH = 10_000  # rows read, checked and staged at a time
HEADER_KEY = "header"  # in ``RosterImport.mapping``: the header row the user chose (0: none, every row is data)
MAX_HEAD_COLUMNS = 30
_CREDIT_CODE_RE = re.compile(r"^[0-9A-Z]{18}$")


# --- Reading files -----------------------------------------------------------------------------------------


@dataclass
class RosterLayout:
    """The roster's table as found in its file, with the user's corrections applied: the data rows, the field
    of each column (None: not mapped yet; ``IGNORE`` or ``_…``: deliberately not imported)."""

    table: Table
    headers: list[str]
    fields: list[str | None]
    found: list[str | None]  # the fields as recognised, before the user's corrections
    # Stored rows, hidden rows and columns (XLSX); still being counted beside the check for a file on disk.
    sheet_facts: SheetFacts | SheetFactsLater = dataclass_field(default_factory=SheetFacts)

    @property
    def facts(self) -> SheetFacts:
        if isinstance(self.sheet_facts, SheetFactsLater):
            self.sheet_facts = self.sheet_facts.result()
        return self.sheet_facts

    @property
    def last_row_estimate(self) -> int:
        """The sheet's last row for a progress bar: counted when that is done, else what the sheet claims (its
        ``<dimension>``), else counted now (a writer that states none, as openpyxl's write-only mode)."""
        later = self.sheet_facts
        if isinstance(later, SheetFactsLater) and not later.ready() and later.estimate:
            return later.estimate
        return self.facts.last_row

    @property
    def rows(self) -> Iterator[tuple[int, tuple]]:
        return self.table.rows

    @property
    def unmapped(self) -> list[int]:
        return [i for i, (h, f) in enumerate(zip(self.headers, self.fields, strict=True)) if h and f is None]

    def describe(self) -> dict:
        """What the check shows and stores (``RosterImport.layout``): hidden rows and columns are listed, so
        that nothing is imported unseen."""
        hidden = set(self.facts.hidden_columns)

        def h_at(i: int) -> bool:
            return i < len(self.headers) and bool(self.headers[i])

        return {
            "sheet": self.table.sheet,
            "sheet_names": self.table.sheet_names,
            "header_row": self.table.header_row,
            "header_end": self.table.header_end or self.table.header_row,
            "other_rosters": [self.table.sheet_names[i] for i in self.table.others],
            "columns": [
                {
                    "index": i,
                    "letter": column_letter(i),
                    "header": h,
                    "field": f,
                    "found": self.found[i],
                    "hidden": i in hidden,
                }
                for i, (h, f) in enumerate(zip(self.headers, self.fields, strict=True))
                if h
            ],
            "hidden_columns": [f"{column_letter(i)}列（{self.headers[i]}）" for i in sorted(hidden) if h_at(i)],
            "hidden_rows": [n for n in self.facts.hidden_rows if n > (self.table.header_end or self.table.header_row)],
        }


def roster_layout(roster: RosterImport) -> RosterLayout:
    """Open the stored file and find its roster: the sheet the user chose or the one holding a roster, the
    header row below any title rows, each column's field by its header's aliases, then the user's mapping.
    The caller closes ``roster.file``."""
    name = roster.filename.lower()
    roster.file.open("rb")
    if name.endswith(".xlsx"):
        handle = roster.file.file
        names = xlsx_sheet_names(handle)
        path = _local_path(roster)

        def open_sheet(index: int):
            # A file on local disk is parsed in a second process, beside the check (``read_ahead``).
            return sheet_rows(path, index) if path else xlsx_rows(handle, index)

    else:
        data = roster.file.read()
        names, open_sheet = sheet_reader(data, name)
    chosen = (roster.mapping or {}).get(HEADER_KEY)
    if chosen is not None:  # the user picked the header row (none was recognised)
        table = locate_table(open_sheet, names, _aliases(), REQUIRED, sheet=roster.sheet, header_row=int(chosen))
    else:
        try:
            table = locate_table(open_sheet, names, _aliases(), REQUIRED, sheet=roster.sheet)
        except SpreadsheetError as exc:
            raise NoHeader(str(exc), names, roster.sheet or 0, first_rows(open_sheet, roster.sheet or 0)) from exc
    if name.endswith(".xlsx"):
        # Counted in a thread beside the check when the file is on disk (one more pass over the sheet).
        facts = SheetFactsLater(path, table.sheet) if path else xlsx_sheet_facts(roster.file.file, table.sheet)
    elif name.endswith(".csv"):  # the lines below the header: the progress total (an estimate: title rows,
        # a quoted line break); the bar is clamped to it and ends at the rows really read
        lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
        facts = SheetFacts(rows=lines, last_row=max(lines - 1, 0))
    else:
        facts = SheetFacts()
    headers = [" ".join(cell_text(h).split()) for h in table.header]
    found, _unknown, _missing = map_headers(headers, _aliases(), [])
    fields = list(found)
    for key, field in (roster.mapping or {}).items():
        if key == HEADER_KEY:
            continue
        index = int(key)
        if index < len(fields):
            fields[index] = field or IGNORE
    return RosterLayout(table=table, headers=headers, fields=fields, found=found, sheet_facts=facts)


class NoHeader(SpreadsheetError):
    """No header row was recognised: the sheet's names and its first rows, for the user to pick the header."""

    def __init__(self, message: str, sheet_names: list[str], sheet: int, head: list):
        super().__init__(message)
        self.sheet_names, self.sheet, self.head = sheet_names, sheet, head

    def describe(self) -> dict:
        """The first rows as the page shows them: personal numbers masked, long cells cut."""
        return {
            "sheet": self.sheet,
            "sheet_names": self.sheet_names,
            "head": [
                {"row": number, "cells": [mask_text(cell_text(v))[:24] for v in values[:MAX_HEAD_COLUMNS]]}
                for number, values in self.head
            ],
        }


def _local_path(roster: RosterImport) -> str | None:
    """The stored file's path on this machine, or None when the storage keeps it elsewhere."""
    try:
        return roster.file.path
    except (NotImplementedError, ValueError):
        return None


def _numbered_rows(roster: RosterImport) -> tuple[list, Iterator[tuple[int, tuple]]]:
    """(header row, iterator of (row number in the sheet, values)) of the stored file's roster."""
    layout = roster_layout(roster)
    return layout.table.header, layout.rows


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


def _copy_text(text: str) -> str:
    """``text`` escaped for COPY's text format. Names and unions rarely hold a tab, newline or backslash, and
    ``isprintable`` (C speed) is False for the first three, so translating (a dict lookup per character) is
    left for the rare text that needs it."""
    if text.isprintable() and "\\" not in text:
        return text
    return text.translate(_COPY_ESCAPE)


def _copy_line(row: list) -> str:
    """One staging row in COPY text format. Only the free-text columns can hold a tab, newline or backslash;
    the others are codes, numbers and dates."""
    (roster, number, rid, name, gender, birth, mobile, union, employer, occupation, joined, status, year, invalid,
     errors, county, problem, duplicate, action, union_id, member_id, as_read) = row  # fmt: skip
    n = "\\N"
    return (
        f"{roster}\t{number}\t{rid}\t{_copy_text(name)}\t{gender}\t{birth or n}\t{mobile or n}\t"
        f"{_copy_text(union)}\t{n if employer is None else _copy_text(employer)}\t"
        f"{occupation or n}\t{joined or n}\t{status or n}\t{year}\t{'t' if invalid else 'f'}\t"
        f"{'[]' if errors == '[]' else errors.translate(_COPY_ESCAPE)}\t{county}\t{problem}\t"
        f"{'t' if duplicate else 'f'}\t{action}\t{n if union_id is None else union_id}\t"
        f"{n if member_id is None else member_id}\t{_copy_text(as_read)}\n"
    )


class _BackgroundCopy:
    """Classify and COPY staging batches from a second PostgreSQL connection in a thread, so that the server
    looks up a batch's registered members and inserts its rows while Python reads and checks the next
    (psycopg2 releases the GIL while it waits on the server).

    Only in autocommit mode (a request, a Celery task): a second connection cannot see the rows of an open
    transaction, so inside ``atomic`` (tests, callers that want one transaction) the work stays on Django's
    connection. Each COPY commits on its own, like the synchronous one in autocommit mode; at most one batch
    is in flight, and the main thread never touches this connection."""

    def __init__(self):
        self.raw = connection.get_new_connection(connection.get_connection_params())
        self.raw.autocommit = True
        self.thread: threading.Thread | None = None
        self.failure: BaseException | None = None

    @staticmethod
    def usable() -> bool:
        return connection.vendor == "postgresql" and connection.get_autocommit()

    def submit(self, work: Callable) -> None:
        """Run ``work(cursor)`` in the thread, once the batch before it is done."""
        self.wait()
        self.thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self.thread.start()

    def _run(self, work: Callable) -> None:
        try:
            with self.raw.cursor() as cursor:
                work(cursor)
        except BaseException as exc:  # raised again in the caller's thread by wait()
            self.failure = exc

    def wait(self) -> None:
        """Wait for the batch in flight; raise its error here if it failed."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure

    def close(self) -> None:
        """Wait for the batch in flight (its error, if any, no longer matters) and close the connection."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        self.raw.close()


class _Stager:
    """Collects a batch of staging rows, classifies them against the register with one query, and inserts
    them: COPY from an in-memory text buffer on PostgreSQL, executemany elsewhere.

    Classifying per batch in Python (the existing members of a batch come in one indexed query) means each
    staging row is written once, already classified; updating every staging row afterwards would rewrite
    each row and its index entries once per pass. Unions are resolved here, in the caller's thread (through
    the scoped queryset); the lookup, classification and COPY of a batch run in the background where they
    can."""

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
        found = self.unions.get(text)
        if found is None:
            found = self.unions[text] = _resolve_union(text, self.reachable)
        return found

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        action_at, union_at = _COL["action"], _COL["union_text"]
        union_id_at, county_at, problem_at = _COL["union_id"], _COL["county"], _COL["union_problem"]
        for row in rows:
            if row[action_at] != RowAction.SKIP:  # not a member row: staged with its note, never written
                row[union_id_at], row[county_at], row[problem_at] = self.union(row[union_at])
        if self.background:
            self.background.submit(lambda cursor: _stage(rows, cursor))
            return
        # One transaction per batch: on SQLite an autocommit INSERT is a disk sync per row (WAL mode).
        with transaction.atomic(), connection.cursor() as cursor:
            _stage(rows, cursor.cursor if self.copy else None)

    def finish(self) -> None:
        """Every staged row is in the table (and committed, when copied in the background)."""
        self.flush()
        if self.background:
            self.background.wait()

    def close(self) -> None:
        if self.background:
            self.background.close()
            self.background = None


STAGING_COLUMNS = [*STAGING_COLUMNS, "union_id", "member_id", "name_as_read"]
_COL = {name: i for i, name in enumerate(STAGING_COLUMNS)}
# The member fields a roster row can change, in the order _members_by_id returns them after id and union.
_COMPARED = ["name", "mobile", "employer", "occupation", "join_date", "status"]


def _members_by_id(ids: list[str], cursor=None) -> dict[str, tuple]:
    """resident_id -> (id, union_id, *_COMPARED) of the registered members among ``ids`` (any county).
    ``cursor``: a psycopg2 cursor (one array parameter instead of thousands of placeholders); without one,
    through the ORM in slices."""
    columns = ["resident_id", "id", "union_id", *_COMPARED]
    if cursor is not None:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {Member._meta.db_table} WHERE resident_id = ANY(%s)", [ids])
        return {values[0]: values[1:] for values in cursor.fetchall()}
    found = {}
    queryset = Member.objects.order_by()
    for start in range(0, len(ids), 5000):
        for values in queryset.filter(resident_id__in=ids[start : start + 5000]).values_list(*columns):
            found[values[0]] = values[1:]
    return found


def _stage(rows: list[list], cursor=None) -> None:
    """Classify a batch of staging rows against the register and insert them: COPY through ``cursor`` (a
    psycopg2 cursor, PostgreSQL), or executemany through Django's connection."""
    rid_at, action_at, member_at = _COL["resident_id"], _COL["action"], _COL["member_id"]
    existing = _members_by_id([row[rid_at] for row in rows if row[rid_at]], cursor)
    for row in rows:
        if row[action_at] != RowAction.SKIP:
            member = existing.get(row[rid_at])
            row[member_at] = member[0] if member else None
            row[action_at] = _action(row, member)
    table, columns = RosterRow._meta.db_table, ", ".join(STAGING_COLUMNS)
    if cursor is not None:
        buffer = io.StringIO("".join(map(_copy_line, rows)))
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer, size=1 << 20)
        return
    marks = ", ".join(["%s"] * len(STAGING_COLUMNS))
    with connection.cursor() as django_cursor:
        django_cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


_INVALID, _PROBLEM, _UNION_ID = _COL["invalid"], _COL["union_problem"], _COL["union_id"]
_COMPARED_AT = [(_COL[field], offset) for offset, field in enumerate(_COMPARED, start=2)]


def _action(row: list, member: tuple | None) -> str:
    if row[_INVALID] or row[_PROBLEM]:
        return RowAction.ERROR
    if member is None:
        return RowAction.CREATE
    if member[1] != row[_UNION_ID]:
        return RowAction.TRANSFER
    for at, offset in _COMPARED_AT:
        value = row[at]
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
