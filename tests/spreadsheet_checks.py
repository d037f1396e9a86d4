"""What every downloaded spreadsheet must be, checked on the file itself (the one writer's promises): long
digit strings (IDs, card and mobile numbers) text, formula-like text neutralised, Chinese headers and sheet
title. Used by the tests of each download."""

from __future__ import annotations

import csv
import io
import re

import openpyxl

CJK = re.compile(r"[\u4e00-\u9fff]")


def open_xlsx(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def cell_holding(sheet, value):
    """The cell whose value is ``value`` (the first one)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} is not in sheet {sheet.title!r}")


def assert_xlsx_text(sheet, *values: str) -> None:
    """Each value is in the sheet as a string cell formatted as text (Excel keeps every digit)."""
    for value in values:
        cell = cell_holding(sheet, value)
        assert cell.data_type == "s" and cell.number_format == "@", (value, cell.data_type, cell.number_format)


def assert_chinese(headers, title: str) -> None:
    assert title and CJK.search(title), title
    named = [h for h in headers if h]
    assert named and all(CJK.search(str(h)) for h in named), headers


def csv_rows(content: bytes) -> list[list[str]]:
    """The rows of a CSV download, which must start with a UTF-8 BOM (Excel on Chinese Windows)."""
    assert content.startswith(b"\xef\xbb\xbf"), content[:20]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def assert_csv_text(rows, *values: str) -> None:
    """Each long digit string is written behind a tab, so that Excel reads it as text."""
    cells = {cell for row in rows for cell in row}
    for value in values:
        assert "\t" + value in cells and value not in cells, value
