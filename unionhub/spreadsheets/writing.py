"""The one writer of every spreadsheet people download: exports, error workbooks, payment lists, templates.

XLSX through openpyxl's write-only workbook (rows go to a temporary file as they come: memory stays flat for
a 180,000-row export) or CSV as Excel on Chinese Windows reads it. In both:

* **Long digit strings stay text.** Resident IDs, mobile, card and account numbers (11 or more digits, an
  ID's final X too) would otherwise become 1.40521E+17 in Excel, losing digits: in XLSX they are string cells
  formatted as text (``@``); in CSV they start with a tab (a cell that starts with a tab is text to Excel; the
  tab is stripped when the file comes back: ``formats.ExcelCSV`` and the roster import's cell reader). Not
  ``="…"``: that is a formula, which other programs show literally and which is neutralised like any other.
* **Formula-like text is neutralised** (``formulas.neutralise_formula``: a leading apostrophe). An XLSX
  written with ``quote_prefix`` instead keeps the text unchanged as a text cell with Excel's hidden quote
  prefix, so that a file people fix and upload again (the roster's error workbook) reads back as it was.
* **Chinese sheet titles** fit Excel's rules: 31 characters, none of ``[]:*?/\\``, unique in the workbook.
* XLSX only: the header row bold on a fill and frozen, an optional caption line above it, column widths that
  fit the header and the first ``WIDTH_SAMPLE`` rows (a CJK character counts two; capped at ``WIDTH_MAX``),
  dates as dates, number formats per column (``TEXT``, ``DATE``, ``MONEY``; a ``TEXT`` column writes every
  value as text), and cells with a note highlighted (a fill and a comment holding the message).

Use :func:`write_xlsx` / :func:`write_csv` for a whole file from :class:`Sheet` s, or :class:`SpreadsheetWriter`
to stream rows one by one::

    with SpreadsheetWriter(handle, "xlsx") as book:
        sheet = book.sheet("会员", headers, formats={2: TEXT})
        for row in rows:
            sheet.row(row, notes={1: "身份证号校验位不对"})
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.utils import timezone
from django.utils.functional import Promise

from unionhub.money import MONEY_FORMAT
from unionhub.spreadsheets.formulas import FORMULA_TRIGGERS, neutralise_formula

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "csv": "text/csv; charset=utf-8"}
TEXT, DATE, DATETIME, MONEY = "@", "yyyy-mm-dd", "yyyy-mm-dd hh:mm", MONEY_FORMAT
BOM = "\ufeff"
TITLE_MAX = 31  # Excel refuses longer sheet titles
WIDTH_SAMPLE = 200  # rows held back to size a streamed sheet's columns (the <cols> come before the rows)
WIDTH_MIN, WIDTH_MAX = 6, 60
NOTES_MAX = 5000  # comments per sheet; past this, noted cells are only highlighted (comments are held in memory)
_LONG_DIGITS = re.compile(r"^[0-9]{10,}[0-9Xx]$")
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 (and so XLSX) cannot hold


def is_long_digits(value) -> bool:
    """An ID, mobile, card or account number: a string of 11 or more digits (an ID's last may be X)."""
    return isinstance(value, str) and _LONG_DIGITS.match(value) is not None


def as_excel_text(value):
    """A CSV cell as Excel must read it as text: long digit strings behind a tab."""
    return "\t" + value if is_long_digits(value) else value


def sheet_title(text, taken: Iterable[str] = ()) -> str:
    """``text`` as Excel accepts a sheet title: forbidden characters replaced, no apostrophe at either end,
    at most 31 characters, and unlike every title in ``taken`` (compared as Excel does, ignoring case)."""
    title = _TITLE_FORBIDDEN.sub("_", str(text or "")).strip("'").strip() or "Sheet"
    title = title[:TITLE_MAX]
    used = {t.lower() for t in taken}
    number = 1
    candidate = title
    while candidate.lower() in used:
        number += 1
        suffix = f"({number})"
        candidate = title[: TITLE_MAX - len(suffix)] + suffix
    return candidate


def display_width(value) -> int:
    """How many columns ``value`` takes on screen: a CJK (wide) character counts two; the longest line."""
    if isinstance(value, dt.date):
        return 16 if isinstance(value, dt.datetime) else 10
    text = value if isinstance(value, str) else str(value)
    lines = text.splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines)


def _plain(value):
    """A value as a cell holds it: lazy translations as text, aware datetimes in local time (Excel has no
    time zones), None as an empty cell."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


@dataclass
class Sheet:
    """One sheet of a file: ``title``, ``headers``, ``rows`` (an iterable of sequences, consumed once).

    ``formats``: column index -> number format (``TEXT``, ``DATE``, ``MONEY`` or any Excel format) for every
    cell of that column; a ``TEXT`` column writes every value as text. ``notes``: row index (0-based, in
    ``rows``) -> {column index: message}, a highlighted cell with the message as its comment. ``caption``: a
    line above the header (a title, a period). ``fill_to``: blank cells carrying ``formats`` down to this
    row, so that what people type into a template keeps them. ``validations``: openpyxl DataValidations
    (drop-down lists). Notes, formats, fills and validations are XLSX only."""

    title: str
    headers: Sequence
    rows: Iterable[Sequence] = ()
    formats: Mapping[int, str] = field(default_factory=dict)
    notes: Mapping[int, Mapping[int, str]] = field(default_factory=dict)
    caption: Sequence = ()
    fill_to: int = 0
    validations: Sequence = ()


class SpreadsheetWriter:
    """A file written sheet by sheet and row by row. ``target``: a path, a binary stream, or (CSV only) a
    text stream. ``file_format``: ``"xlsx"`` or ``"csv"`` (one sheet). The file is complete when the ``with``
    block ends without an exception."""

    def __init__(self, target, file_format: str = "xlsx", *, quote_prefix: bool = False):
        if file_format not in CONTENT_TYPES:
            raise ValueError(f"unknown spreadsheet format {file_format!r}")
        self.target, self.file_format, self.quote_prefix = target, file_format, quote_prefix
        self.sheets: list[_XlsxSheet | _CsvSheet] = []
        self._workbook = None
        if file_format == "xlsx":
            import openpyxl

            self._workbook = openpyxl.Workbook(write_only=True)

    def __enter__(self) -> SpreadsheetWriter:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.close()
        else:  # nothing is saved; a CSV's file is let go of (an XLSX is written only when saved)
            for sheet in self.sheets:
                if isinstance(sheet, _CsvSheet):
                    sheet.close()

    def sheet(self, title, headers: Sequence, **options) -> _XlsxSheet | _CsvSheet:
        """Start a sheet (the previous one is finished) and return it, to be written with
        ``.row(values, notes=None)``. ``options``: ``formats``, ``caption``, ``fill_to``, ``validations`` as
        in :class:`Sheet` (a CSV takes only ``caption``)."""
        if self.sheets:
            self.sheets[-1].close()
        if self._workbook is None:
            if self.sheets:
                raise ValueError("a CSV file holds one sheet")
            sheet = _CsvSheet(self.target, headers, options.get("caption", ()))
        else:
            title = sheet_title(title, [s.title for s in self.sheets])
            sheet = _XlsxSheet(self._workbook.create_sheet(title), self.quote_prefix, headers, **options)
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        for sheet in self.sheets:
            sheet.close()
        if self._workbook is not None:
            if not self.sheets:
                self.sheet("Sheet", [])
            self._workbook.save(self.target)


class _CsvSheet:
    def __init__(self, target, headers: Sequence, caption: Sequence = ()):
        import csv

        self.title = ""
        self._opened = self._wrapper = None  # a file opened here (closed), a wrapper over the caller's stream
        if isinstance(target, io.TextIOBase):
            text = target
        elif isinstance(target, str) or hasattr(target, "__fspath__"):
            text = self._opened = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
        else:
            text = self._wrapper = io.TextIOWrapper(target, encoding="utf-8", newline="")
        text.write(BOM)  # without it Excel on Chinese Windows decodes the file as GBK
        self._writer = csv.writer(text)
        if caption:
            self.row(caption)
        self.row(headers)

    def row(self, values: Sequence, notes: Mapping[int, str] | None = None) -> None:
        """Append a row (``notes`` are not kept: a CSV cell has no comment)."""
        cells = []
        for value in values:
            value = _plain(value)
            if isinstance(value, str):
                value = as_excel_text(neutralise_formula(value))
            cells.append(value)
        self._writer.writerow(cells)

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()
        if self._wrapper is not None:
            self._wrapper.flush()
            self._wrapper.detach()  # the caller's binary stream stays open
        self._opened = self._wrapper = None


class _XlsxSheet:
    def __init__(self, worksheet, quote_prefix: bool, headers: Sequence, *, formats=None, caption=(), **layout):
        self.ws, self.title, self.quote_prefix = worksheet, worksheet.title, quote_prefix
        self.headers = [str(_plain(h)) if h is not None else "" for h in headers]
        self.formats, self.caption = dict(formats or {}), list(caption)
        self.fill_to, self.validations = layout.get("fill_to", 0), layout.get("validations", ())
        self._pending: list | None = []  # rows held back until the columns are sized
        self._rows_written = 0
        self._notes = 0
        self._closed = False

    # --- rows -------------------------------------------------------------------------------------------

    def row(self, values: Sequence, notes: Mapping[int, str] | None = None) -> None:
        """Append a row; ``notes``: column index -> message, the cell highlighted with it as a comment."""
        cells = [self._value(index, value) for index, value in enumerate(values)]
        if self._pending is not None:
            self._pending.append((cells, notes))
            if len(self._pending) >= WIDTH_SAMPLE:
                self._start()
        else:
            self._append(cells, notes)

    def _value(self, index: int, value):
        value = _plain(value)
        if value is None:
            return None
        if self.formats.get(index) == TEXT and not isinstance(value, str):
            value = _as_text(value)
        if isinstance(value, str) and _ILLEGAL.search(value):
            value = _ILLEGAL.sub("\ufffd", value)
        if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not self.quote_prefix:
            value = neutralise_formula(value)
        return value

    def _append(self, values: list, notes: Mapping[int, str] | None) -> None:
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for index, value in enumerate(values):
            number_format = self.formats.get(index)
            formula_like = isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
            if isinstance(value, str) and not number_format and is_long_digits(value):
                number_format = TEXT
            elif isinstance(value, dt.date) and not number_format:
                number_format = DATETIME if isinstance(value, dt.datetime) else DATE
            elif isinstance(value, Decimal) and not number_format and value.as_tuple().exponent == -2:
                number_format = MONEY  # an amount to the fen: grouped, two decimals, still a number to sum
            note = notes.get(index) if notes else None
            if not (number_format or formula_like or note):
                cells.append(value)
                continue
            cell = WriteOnlyCell(self.ws, value=value)
            if formula_like:  # only with quote_prefix: the text unchanged, a text cell Excel will not run
                cell.data_type, cell.quotePrefix = "s", True
            if number_format:
                cell.number_format = number_format
            if note:
                self._note(cell, note)
            cells.append(cell)
        if notes:
            for index in sorted(i for i in notes if i >= len(values)):
                cells.extend([None] * (index - len(cells)))
                cell = WriteOnlyCell(self.ws)
                self._note(cell, notes[index])
                cells.append(cell)
        self.ws.append(cells)
        self._rows_written += 1

    def _note(self, cell, message: str) -> None:
        from openpyxl.comments import Comment

        cell.fill = _style("note_fill")
        if self._notes < NOTES_MAX:
            cell.comment = Comment(str(message), "unionhub", width=300, height=120)
            self._notes += 1

    # --- layout: widths, header, caption, validations ----------------------------------------------------

    def _start(self) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter

        pending, self._pending = self._pending, None
        width = max([len(self.headers), *(len(cells) for cells, _notes in pending)])
        for index in range(width):
            sample = [self.headers[index] if index < len(self.headers) else ""]
            sample += [cells[index] for cells, _notes in pending if index < len(cells) and cells[index] is not None]
            fit = max(display_width(v) for v in sample) + 2
            dimension = self.ws.column_dimensions[get_column_letter(index + 1)]
            dimension.width = min(max(fit, WIDTH_MIN), WIDTH_MAX)
            if index in self.formats:
                dimension.number_format = self.formats[index]  # cells typed later in the column keep it
        for validation in self.validations:
            self.ws.data_validations.append(validation)
        header_row = 2 if self.caption else 1
        self.ws.freeze_panes = f"A{header_row + 1}"  # before the first row: the sheet's top is written with it
        if self.caption:
            cells = []
            for value in self.caption:
                cell = WriteOnlyCell(self.ws, value=self._value(-1, value))
                cell.font = _style("bold")
                cells.append(cell)
            self.ws.append(cells)
        header = []
        for text in self.headers:
            cell = WriteOnlyCell(self.ws, value=self._value(-1, text))
            cell.font, cell.fill = _style("bold"), _style("header_fill")
            header.append(cell)
        self.ws.append(header)
        self._rows_written = header_row
        for cells, notes in pending:
            self._append(cells, notes)

    def close(self) -> None:
        if self._closed:
            return
        if self._pending is not None:
            self._start()
        from openpyxl.cell import WriteOnlyCell

        while self.fill_to and self._rows_written < self.fill_to and self.formats:
            row = [None] * (max(self.formats) + 1)
            for index, number_format in self.formats.items():
                row[index] = WriteOnlyCell(self.ws)
                row[index].number_format = number_format
            self.ws.append(row)
            self._rows_written += 1
        self._closed = True


_STYLES: dict = {}


def _style(name: str):
    """The few shared styles (openpyxl style objects are immutable; one of each serves every cell)."""
    if not _STYLES:
        from openpyxl.styles import Font, PatternFill

        _STYLES.update(
            bold=Font(bold=True),
            header_fill=PatternFill("solid", fgColor="DDEBF7"),
            note_fill=PatternFill("solid", fgColor="FFC7CE"),
        )
    return _STYLES[name]


def _write(file_format: str, sheets, to, quote_prefix: bool = False) -> bytes | None:
    buffer = io.BytesIO() if to is None else None
    with SpreadsheetWriter(buffer if to is None else to, file_format, quote_prefix=quote_prefix) as book:
        for sheet in [sheets] if isinstance(sheets, Sheet) else sheets:
            options = {"caption": sheet.caption}
            if file_format == "xlsx":
                options.update(formats=sheet.formats, fill_to=sheet.fill_to, validations=sheet.validations)
            writer = book.sheet(sheet.title, sheet.headers, **options)
            for index, values in enumerate(sheet.rows):
                writer.row(values, sheet.notes.get(index))
    return buffer.getvalue() if buffer is not None else None


def write_xlsx(sheets: Sheet | Iterable[Sheet], to: str | IO[bytes] | None = None, *, quote_prefix: bool = False):
    """An XLSX workbook of ``sheets``: written to ``to`` (a path or binary stream), or returned as bytes."""
    return _write("xlsx", sheets, to, quote_prefix)


def write_csv(sheet: Sheet, to: str | IO | None = None):
    """A CSV file of one sheet (UTF-8 with BOM): written to ``to`` (a path, binary or text stream), or
    returned as bytes."""
    return _write("csv", sheet, to)
