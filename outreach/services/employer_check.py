"""Checking an uploaded employer list (the check job's work): the table found as people lay it out
(``unionhub.spreadsheets.layout``: title rows, annotated headers, any sheet), every row checked in Python with
every problem kept with its row and column, the valid rows staged (``COPY`` on PostgreSQL), then the
file-wide checks and the classification in SQL over the staging rows: a credit code registered in another
county, a name registered in the same town under another code, the union carrying the credit code (one
statement), and new / changed / unchanged. Nothing is written to the register."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.models.roster import ImportStatus
from outreach.choices import STAGE_ORDER, Industry, Stage
from outreach.models import Employer, EmployerImport, EmployerImportRow
from outreach.models.imports import RowAction
from unionhub.models.regions import Region, RegionLevel, UnionOrganization
from unionhub.spreadsheets.layout import SheetFacts, locate_table, map_headers, xlsx_sheet_facts
from unionhub.spreadsheets.reading import SpreadsheetError, cell_text, sheet_reader
from unionhub.spreadsheets.xlsx_stream import xlsx_rows, xlsx_sheet_names
from unionhub.validators import normalize_credit_code

BATCH = 10_000  # rows staged at a time
MAX_PROBLEMS = 500  # problems kept for the page; every row with one is counted
ALIASES = {
    "credit_code": ["统一社会信用代码", "信用代码", "社会信用代码", "credit code"],
    "name": ["企业名称", "单位名称", "名称", "市场主体名称", "employer"],
    "town": ["乡镇", "乡镇（街道）", "所属乡镇", "乡镇街道", "园区", "town"],
    "industry": ["行业", "所属行业", "行业类别", "industry"],
    "workers": ["职工人数", "从业人数", "员工人数", "人数", "workers"],
    "is_platform": ["平台企业", "是否平台企业", "platform"],
}
REQUIRED = ["credit_code", "name", "town"]
YES = {"是", "y", "yes", "1", "true", "平台"}
NO = {"", "否", "n", "no", "0", "false"}
STAGED = ["batch_id", "row_number", "credit_code", "name", "town_id", "industry", "workers", "is_platform", "action"]
EARLY_STAGES = tuple(STAGE_ORDER[: STAGE_ORDER.index(Stage.FOUNDED)])
_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _labels() -> dict[str, str]:
    return {
        "credit_code": _("credit code"),
        "name": _("name"),
        "town": _("town"),
        "industry": _("industry"),
        "workers": _("workers"),
        "is_platform": _("platform company"),
    }


def _towns(county: Region) -> dict[str, str]:
    """A town's name, full name or code -> its code, for the towns of the county."""
    lookup = {}
    towns = Region.objects.filter(code__startswith=county.code, level=RegionLevel.TOWN).values_list("code", "name")
    for code, name in towns:
        lookup[code] = code
        lookup[name] = code
        lookup[f"{county.name}{name}"] = code
    return lookup


def _industries() -> dict[str, str]:
    lookup = {}
    for value, label in Industry.choices:
        lookup[value] = value
        lookup[str(label)] = value
    return lookup


def _open(batch: EmployerImport):
    """(sheet names, open_sheet, facts_of(sheet)) of the stored file."""
    name = batch.filename.lower()
    batch.file.open("rb")
    if name.endswith(".xlsx"):
        handle = batch.file.file
        return xlsx_sheet_names(handle), lambda i: xlsx_rows(handle, i), lambda i: xlsx_sheet_facts(handle, i)
    data = batch.file.read()
    names, open_sheet = sheet_reader(data, name)
    lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return names, open_sheet, lambda i: SheetFacts(rows=lines, last_row=lines)


class _Checker:
    """The row checks of one file, with the problems found (row, column, header, message)."""

    def __init__(self, batch: EmployerImport, headers: list[str], column: dict[str, int]):
        self.batch, self.headers, self.column = batch, headers, column
        self.towns, self.industries = _towns(batch.county), _industries()
        self.problems: list[dict] = []
        self.bad_rows: set[int] = set()
        self.seen: dict[str, int] = {}

    def error(self, row: int, name: str, message: str) -> None:
        self.bad_rows.add(row)
        if len(self.problems) < MAX_PROBLEMS:
            index = self.column[name]
            self.problems.append(
                {"row": row, "column": column_letter(index), "header": self.headers[index], "message": str(message)}
            )

    def row(self, number: int, values: tuple) -> list | None:
        """The staging row of a data row, or None (its problems recorded) - also for a blank row."""
        cells = {name: cell_text(values[i]) if i < len(values) else "" for name, i in self.column.items()}
        if not any(cells.values()):
            return None
        bad = False
        code = None
        try:
            code = normalize_credit_code(cells["credit_code"])
        except ValidationError as exc:
            self.error(number, "credit_code", exc.messages[0])
            bad = True
        if code is not None:
            if code in self.seen:
                message = _("The same credit code is on row %(row)s.") % {"row": self.seen[code]}
                self.error(number, "credit_code", message)
                bad = True
            else:
                self.seen[code] = number
        if not cells["name"]:
            self.error(number, "name", _("The name is empty."))
            bad = True
        town = self.towns.get(cells["town"])
        if town is None:
            message = _("“%(town)s” is not a town of %(county)s.") % {
                "town": cells["town"],
                "county": self.batch.county,
            }
            self.error(number, "town", message)
            bad = True
        industry = Industry.OTHER
        if cells.get("industry"):
            industry = self.industries.get(cells["industry"])
            if industry is None:
                self.error(number, "industry", _("Unknown industry “%(value)s”.") % {"value": cells["industry"]})
                bad = True
        workers = 0
        if cells.get("workers"):
            try:
                workers = int(float(cells["workers"]))
                if workers < 0 or workers > 10_000_000:
                    raise ValueError
            except ValueError:
                message = _("“%(value)s” is not a number of workers.") % {"value": cells["workers"]}
                self.error(number, "workers", message)
                bad = True
        platform = cells.get("is_platform", "").lower()
        if platform not in YES and platform not in NO:
            self.error(number, "is_platform", _("Write 是 or 否."))
            bad = True
        if bad:
            return None
        name = " ".join(cells["name"].split())[:100]
        return [self.batch.pk, number, code, name, town, industry, workers, platform in YES, ""]


def _copy_line(row: list) -> str:
    batch, number, code, name, town, industry, workers, platform, action = row
    if not name.isprintable() or "\\" in name:
        name = name.translate(_COPY_ESCAPE)
    return f"{batch}\t{number}\t{code}\t{name}\t{town}\t{industry}\t{workers}\t{'t' if platform else 'f'}\t{action}\n"


def _stage(rows: list[list]) -> None:
    table, columns = EmployerImportRow._meta.db_table, ", ".join(STAGED)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO("".join(map(_copy_line, rows)))
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer, size=1 << 20)
        else:
            marks = ", ".join(["%s"] * len(STAGED))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def employer_list_check(*, batch: EmployerImport, progress: Callable | None = None) -> EmployerImport:
    """Check ``batch``'s file and stage its valid rows (see the module). Ends previewed, or failed with one
    sentence when the file as a whole cannot be read."""
    progress = progress or (lambda *args, **kwargs: None)
    EmployerImportRow.objects.filter(batch=batch).delete()
    EmployerImport.objects.filter(pk=batch.pk).update(status=ImportStatus.PREVIEWING)
    try:
        try:
            names, open_sheet, facts_of = _open(batch)
            table = locate_table(open_sheet, names, ALIASES, REQUIRED)
            total = max(facts_of(table.sheet).rows - (table.header_end or table.header_row), 0)
        except SpreadsheetError as exc:
            return _refuse(batch, str(exc))
        headers = [" ".join(cell_text(h).split()) for h in table.header]
        fields, _unknown, missing = map_headers(headers, ALIASES, REQUIRED)
        if missing:
            labels = _labels()
            return _refuse(
                batch, _("The file has no column for: %(fields)s.") % {"fields": "、".join(labels[m] for m in missing)}
            )
        checker = _Checker(batch, headers, {name: index for index, name in enumerate(fields) if name})
        stage = _("checking the rows")
        progress(0, total, stage)
        step = max(total // 100, 1)
        rows, pending, done, reported = 0, [], 0, 0
        for number, values in table.rows:
            done += 1
            staged = checker.row(number, values)
            if staged is not None:
                pending.append(staged)
            if staged is not None or number in checker.bad_rows:
                rows += 1
            if len(pending) >= BATCH:
                _stage(pending)
                pending = []
            if done - reported >= step:
                reported = done
                progress(min(done, total) if total else done, total or None, stage)
        if pending:
            _stage(pending)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh rows: the planner needs their figures for the joins
                cursor.execute(f"ANALYZE {EmployerImportRow._meta.db_table}")
    finally:
        batch.file.close()
    if rows == 0:
        return _refuse(batch, _("The file has no employers below its header."))
    progress(total or done, total or done, _("matching to the register and the unions"))
    _register_checks(batch, checker)
    return _classify(batch, rows, checker)


def _refuse(batch: EmployerImport, message: str) -> EmployerImport:
    EmployerImport.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


def _register_checks(batch: EmployerImport, checker: _Checker) -> None:
    """Codes registered in another county, and names registered in the same town under another code: the
    rows are marked errors, with their messages."""
    staged, employers = EmployerImportRow._meta.db_table, Employer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.row_number FROM {staged} s JOIN {employers} e ON e.credit_code = s.credit_code "
            f"WHERE s.batch_id = %s AND e.town_id NOT LIKE %s ORDER BY s.row_number",
            [batch.pk, f"{batch.county_id}%"],
        )
        for (row,) in cursor.fetchall():
            checker.error(row, "credit_code", _("This credit code is registered in another county."))
        cursor.execute(
            f"SELECT s.row_number, e.name, e.credit_code FROM {staged} s JOIN {employers} e "
            f"ON e.town_id = s.town_id AND e.name = s.name AND e.credit_code <> s.credit_code "
            f"WHERE s.batch_id = %s ORDER BY s.row_number",
            [batch.pk],
        )
        for row, name, code in cursor.fetchall():
            checker.error(
                row,
                "name",
                _("“%(name)s” is already registered in this town under the credit code %(code)s.")
                % {"name": name, "code": code},
            )


def employer_rows_match(*, batch: EmployerImport) -> None:
    """Each staged row's employer and union by credit code (one joined UPDATE each), and its action: new,
    changed (a field differs, or a union to link or to mark founded) or unchanged; errors stay errors."""
    staged, employers = EmployerImportRow._meta.db_table, Employer._meta.db_table
    unions = UnionOrganization._meta.db_table
    early = ", ".join(f"'{stage}'" for stage in EARLY_STAGES)
    differs = (
        "e.name <> s2.name OR e.town_id <> s2.town_id OR e.industry <> s2.industry OR e.workers <> s2.workers "
        "OR e.is_platform <> s2.is_platform OR (u.id IS NOT NULL AND (e.union_id IS NULL "
        f"OR e.union_id <> u.id OR e.stage IN ({early})))"
    )
    with connection.cursor() as cursor:  # one pass: each staged row written once
        cursor.execute(
            f"UPDATE {staged} AS s SET employer_id = e.id, union_id = u.id, action = CASE "
            f"WHEN e.id IS NULL THEN '{RowAction.CREATE}' WHEN {differs} THEN '{RowAction.UPDATE}' "
            f"ELSE '{RowAction.UNCHANGED}' END "
            f"FROM {staged} s2 LEFT JOIN {employers} e ON e.credit_code = s2.credit_code "
            f"LEFT JOIN {unions} u ON u.credit_code = s2.credit_code "
            f"WHERE s.id = s2.id AND s2.batch_id = %s AND s2.action <> '{RowAction.ERROR}'",
            [batch.pk],
        )


def _classify(batch: EmployerImport, rows: int, checker: _Checker) -> EmployerImport:
    bad = sorted(checker.bad_rows)
    for start in range(0, len(bad), 5000):
        EmployerImportRow.objects.filter(batch=batch, row_number__in=bad[start : start + 5000]).update(
            action=RowAction.ERROR
        )
    employer_rows_match(batch=batch)
    counts = dict(
        EmployerImportRow.objects.filter(batch=batch)
        .order_by()
        .values("action")
        .annotate(n=Count("id"))
        .values_list("action", "n")
    )
    matched = EmployerImportRow.objects.filter(batch=batch, union_id__isnull=False).exclude(action=RowAction.ERROR)
    problems = sorted(checker.problems, key=lambda p: (p["row"], p["column"]))
    with transaction.atomic():
        EmployerImport.objects.filter(pk=batch.pk).update(
            status=ImportStatus.PREVIEWED,
            rows=rows,
            created=counts.get(RowAction.CREATE, 0),
            updated=counts.get(RowAction.UPDATE, 0),
            unchanged=counts.get(RowAction.UNCHANGED, 0),
            matched=matched.count(),
            errors=len(checker.bad_rows),
            problems=problems,
            error="",
        )
    batch.refresh_from_db()
    return batch
