"""What a roster import found, for the admin's preview and result pages: the problems row by row, the
skipped rows, the error workbook to fix and upload again; and the empty template to start from."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from membership.models.roster import RosterImport, RosterRow, RowAction
from membership.services.roster_rows import (
    COLUMNS,
    ERROR_HEADER,
    ROW_HEADER,
    UNION_PROBLEMS,
)
from membership.services.roster_staging import roster_layout
from membership.services.roster_workbook import roster_template_workbook
from unionhub.personal import mask_text
from unionhub.spreadsheets.reading import parse_date
from unionhub.spreadsheets.writing import DATE, TEXT, SpreadsheetWriter


@dataclass
class RowProblem:
    row_number: int
    column: str
    message: str


def row_messages(row: RosterRow) -> list[tuple[str, str]]:
    """Every (column, message) of one staged row: the per-cell ones and the file-wide ones (for a skipped
    row, the note saying why)."""
    messages = [tuple(item[:2]) for item in row.errors]
    if row.duplicate:
        messages.append(
            (
                COLUMNS["resident_id"][0],
                _("This ID number is also on row %(rows)s of the file; keep one row per person.")
                % {"rows": row.duplicate_rows}
                if row.duplicate_rows
                else _("This ID number appears more than once in the file."),
            )
        )
    if row.union_problem:
        messages.append((COLUMNS["union"][0], str(UNION_PROBLEMS[row.union_problem])))
    return messages


def row_details(row: RosterRow) -> list[tuple[str, str, str]]:
    """Every (column as the sheet shows it, e.g. "C列（手机号）", message, the value as read) of one staged row,
    for the preview's error table. Personal numbers in the value are masked."""
    details = [
        (item[3] if len(item) > 3 and item[3] else item[0], item[1], item[2] if len(item) > 2 else "")
        for item in row.errors
    ]
    if row.duplicate:
        details.append(row_messages(row)[len(row.errors)] + (mask_text(row.resident_id),))
    if row.union_problem:
        details.append((COLUMNS["union"][0], str(UNION_PROBLEMS[row.union_problem]), mask_text(row.union_text)))
    return details


def roster_skipped(*, roster: RosterImport, limit: int = 100) -> list[RowProblem]:
    """The rows skipped as not members (the sample row, totals, signatures, notes), with the note why."""
    rows = RosterRow.objects.filter(roster=roster, action=RowAction.SKIP).order_by("row_number")[:limit]
    return [RowProblem(row.row_number, "", message) for row in rows for _column, message in row.errors]


def roster_problems(*, roster: RosterImport, offset: int = 0, limit: int = 100) -> list[RowProblem]:
    """The errors of rows ``offset`` to ``offset + limit`` (rows with errors, in file order), one per cell."""
    problems = []
    rows = RosterRow.objects.filter(roster=roster, action=RowAction.ERROR).order_by("row_number")
    for row in rows[offset : offset + limit]:
        for column, message in row_messages(row):
            problems.append(RowProblem(row.row_number, column, message))
    return problems


def roster_error_workbook(*, roster: RosterImport) -> bytes:
    """The rows with errors as the user sent them: the upload's own header and columns in its order, then
    the reason and the sheet's row number (both ignored on upload), to fix and upload again. Each cell at
    fault is highlighted with its message as a comment. Dates are dates, ID and mobile numbers text (no
    visible apostrophe), formula-like text kept as text (Excel's hidden quote prefix)."""
    errors: dict[int, list] = {}
    for row in RosterRow.objects.filter(roster=roster, action=RowAction.ERROR).order_by("row_number").iterator(2000):
        errors[row.row_number] = row_messages(row)
    try:
        layout = roster_layout(roster)
        width = len(layout.headers)
        formats = {i: TEXT for i, f in enumerate(layout.fields) if f in ("resident_id", "mobile")}
        dates = [i for i, f in enumerate(layout.fields) if f == "join_date"]
        formats.update(dict.fromkeys(dates, DATE))
        column_of = {label: layout.fields.index(name) for name, (label, _a) in COLUMNS.items() if name in layout.fields}
        book = io.BytesIO()
        with SpreadsheetWriter(book, "xlsx", quote_prefix=True) as writer:
            sheet = writer.sheet("有错误的行", [*layout.headers, ERROR_HEADER, ROW_HEADER], formats=formats)
            for number, values in layout.rows:
                messages = errors.get(number)
                if not messages:
                    continue
                cells = list(values[:width]) + [None] * (width - len(values[:width]))
                for index in dates:
                    if cells[index] not in (None, ""):
                        with contextlib.suppress(ValueError):
                            cells[index] = parse_date(cells[index])
                notes: dict[int, str] = {}
                for column, message in messages:
                    index = column_of.get(column, width)  # a message for no column of the file: on the reason
                    notes[index] = f"{notes[index]}\n{message}" if index in notes else message
                reason = "；".join(f"{column}：{message}" for column, message in messages)
                sheet.row([*cells, reason, number], notes=notes)
        return book.getvalue()
    finally:
        roster.file.close()


def roster_template(*, user) -> bytes:
    """The roster template (``roster_workbook``)."""
    return roster_template_workbook(user=user)
