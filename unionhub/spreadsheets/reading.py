"""Reading the spreadsheets county staff upload, safely and fast (``writing`` writes the ones they download).

* XLSX through openpyxl in read-only (streaming) mode; openpyxl parses XML with defusedxml when it is
  installed, which refuses entity-expansion attacks. Before parsing, the zip directory is checked against
  size and compression-ratio limits (zip bombs). Formulas are never evaluated: cells are read as stored
  values, and a formula cell without a cached value reads as its formula text, which validation refuses.
* XLS through xlrd; CSV in UTF-8 (with or without BOM) or GBK/GB18030, as Excel and WPS save it in China.
* Headers are matched in Chinese or English through a header map; unknown columns are reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.personal.numbers import mask_text

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


NOT_A_WORKBOOK = gettext_lazy(
    "This file is not a spreadsheet (perhaps a picture or a document renamed); upload the roster as an XLSX, XLS "
    "or CSV file saved from Excel or WPS."
)


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise SpreadsheetError(NOT_A_WORKBOOK) from None
    check_archive(archive)


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb: too much in all once expanded, or one large part compressed beyond reason."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO):
            raise SpreadsheetError(_("This workbook expands to an unreasonable size and was refused."))


def _decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(_("The CSV file is neither UTF-8 nor GBK; save it again as “CSV UTF-8”."))


def read_rows(data: bytes, filename: str) -> tuple[list, Iterator[tuple]]:
    """(header row, iterator over the data rows) of the first sheet of an XLSX, XLS or CSV file."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": MAX_UPLOAD_BYTES // 2**20}
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        _check_zip(data)
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken or hostile file
            raise SpreadsheetError(_("This XLSX workbook cannot be read: %(error)s") % {"error": exc}) from None
        rows = _guarded(workbook.worksheets[0].iter_rows(values_only=True))
    elif name.endswith(".xls"):
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=data)
        except Exception as exc:
            raise SpreadsheetError(_("This XLS workbook cannot be read: %(error)s") % {"error": exc}) from None
        sheet = book.sheet_by_index(0)
        rows = (tuple(_xls_value(cell, book.datemode) for cell in sheet.row(i)) for i in range(sheet.nrows))
    elif name.endswith(".csv"):
        rows = (tuple(row) for row in csv.reader(io.StringIO(_decode_csv(data))))
    else:
        raise SpreadsheetError(_("Upload an XLSX, XLS or CSV file."))
    rows = iter(rows)
    for header in rows:
        if any(str(v or "").strip() for v in header):
            return list(header), (row for row in rows if any(v not in (None, "") for v in row))
    raise SpreadsheetError(_("The file is empty."))


def sheet_reader(data: bytes, filename: str) -> tuple[list[str], Callable[[int], Iterator[tuple[int, tuple]]]]:
    """(sheet names, ``open_sheet(index)`` -> iterator of (row number, values)) of an XLS or CSV file, row
    numbers as the user sees them (a CSV has one sheet). XLSX goes through ``xlsx_stream``."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": MAX_UPLOAD_BYTES // 2**20}
        )
    name = filename.lower()
    if name.endswith(".xls"):
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=data)
        except Exception:
            raise SpreadsheetError(NOT_A_WORKBOOK) from None

        def open_xls(index: int):
            sheet = book.sheet_by_index(index)
            for i in range(sheet.nrows):
                yield i + 1, tuple(_xls_value(cell, book.datemode) for cell in sheet.row(i))

        return book.sheet_names(), open_xls
    if name.endswith(".csv"):
        text = _decode_csv(data)

        def open_csv(index: int):
            return enumerate((tuple(row) for row in csv.reader(io.StringIO(text))), start=1)

        return [filename], open_csv
    raise SpreadsheetError(_("Upload an XLSX, XLS or CSV file."))


def _guarded(rows):
    """Sheets are parsed lazily in read-only mode: a hostile sheet fails while iterating, not on opening."""
    try:
        yield from rows
    except Exception as exc:
        raise SpreadsheetError(_("This XLSX workbook cannot be read: %(error)s") % {"error": exc}) from None


def _xls_value(cell, datemode):
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer() and abs(cell.value) < 1e15:
        return int(cell.value)
    return cell.value


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value) -> dt.date:
    """A date from an Excel cell: a real date, an Excel serial number, or 2024-03-05, 2024/3/5, 2024.3.5,
    2024年3月5日, 20240305. Raises ValueError with a message for the user."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 1 <= value < 2958466:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value or "").strip()
    if text.isdigit() and len(text) == 5:  # an Excel serial pasted or saved as text (1954-2064)
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise ValueError(_("“%(value)s” is not a date; write it like 2024-03-05.") % {"value": mask_text(text)})


def cell_text(value) -> str:
    """A cell as text: whitespace trimmed (full-width spaces too), integral floats without “.0”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").strip()
