"""``read_ahead``: a sheet parsed in a second process gives the rows and the errors the in-process reader
gives, in several frames; a child that dies part-way, or cannot start, loses and repeats no row; closing the
rows early stops the child; small files never start one."""

import subprocess
import sys

import openpyxl
import pytest

from tests.unionhub.test_xlsx_stream import workbook
from unionhub.spreadsheets import SpreadsheetError, read_ahead
from unionhub.spreadsheets.xlsx_stream import xlsx_rows


@pytest.fixture
def big(tmp_path):
    """A 4,500-row sheet (three frames) with text, numbers, floats, booleans and gaps."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "手机号", "备注"])
    for i in range(4500):
        sheet.append([f"会员{i}", f"14052119800101{i:04d}", 13900000000 + i, None if i % 3 else 1.5, i % 2 == 0])
    path = tmp_path / "big.xlsx"
    book.save(path)
    return str(path)


@pytest.fixture
def popens(monkeypatch):
    """Every child started, as its Popen object."""
    started = []
    real = subprocess.Popen

    def recording(*args, **kwargs):
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(read_ahead.subprocess, "Popen", recording)
    return started


def test_the_child_gives_the_same_rows_in_several_frames(big, popens):
    rows = list(read_ahead.sheet_rows(big, 0, min_bytes=0))
    assert len(popens) == 1 and popens[0].returncode == 0
    assert rows == list(xlsx_rows(big, 0))
    assert len(rows) == 4501 > 2 * read_ahead.FRAME_ROWS
    assert rows[1] == (2, ("会员0", "140521198001010000", 13900000000, 1.5, True))


def test_a_broken_sheet_fails_with_the_in_process_message_after_the_same_rows(tmp_path, popens):
    # Row 2's cells go backwards: the in-process reader yields row 1, then refuses the file.
    path = tmp_path / "broken.xlsx"
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>2</v></c></row>'
    path.write_bytes(workbook(rows, ["姓名"]))
    expected, got = [], []
    with pytest.raises(SpreadsheetError) as in_process:
        expected.extend(xlsx_rows(str(path), 0))
    with pytest.raises(SpreadsheetError) as through_child:
        got.extend(read_ahead.sheet_rows(str(path), 0, min_bytes=0))
    assert popens and popens[0].returncode == 1
    assert got == expected == [(1, ("姓名",))]
    assert str(through_child.value) == str(in_process.value) == "该文件不是有效的 XLSX 工作簿。"


def test_a_child_that_dies_part_way_loses_and_repeats_no_row(big, monkeypatch):
    # The first frame, then the child dies (a kill, no memory): the rest is read in this process.
    dies = (
        "import sys; from unionhub.spreadsheets import read_ahead; from unionhub.spreadsheets.xlsx_stream import "
        "xlsx_rows; rows = list(xlsx_rows(sys.argv[1], 0))[:2000]; read_ahead._write(sys.stdout.buffer, rows); "
        "sys.stdout.flush(); sys.exit(3)"
    )
    monkeypatch.setattr(read_ahead, "_command", lambda path, sheet: [sys.executable, "-c", dies, path])
    assert list(read_ahead.sheet_rows(big, 0, min_bytes=0)) == list(xlsx_rows(big, 0))


def test_a_child_that_cannot_start_leaves_the_reading_to_this_process(big, monkeypatch):
    monkeypatch.setattr(read_ahead, "_command", lambda path, sheet: ["/nonexistent/python"])
    assert list(read_ahead.sheet_rows(big, 0, min_bytes=0)) == list(xlsx_rows(big, 0))


def test_closing_the_rows_early_stops_the_child(big, popens):
    rows = read_ahead.sheet_rows(big, 0, min_bytes=0)
    assert next(rows)[0] == 1
    rows.close()
    assert popens[0].returncode is not None  # killed and reaped, not left running


def test_small_files_are_read_in_this_process(big, popens):
    assert list(read_ahead.sheet_rows(big, 0)) == list(xlsx_rows(big, 0))  # about 150 KB, under MIN_BYTES
    assert popens == []
