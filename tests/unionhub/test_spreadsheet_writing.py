"""The one spreadsheet writer: long digit strings stay text, formula-like text is neutralised, sheet titles fit
Excel, columns fit their Chinese text, the header stands out and stays in view, bad cells carry their message,
and a large sheet streams. Each download's own file is checked where it is made (member exports, the admin's
export, the roster's error workbook and template, the payment list): see ``tests/spreadsheet_checks.py``."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from tests.spreadsheet_checks import assert_chinese, assert_csv_text, assert_xlsx_text, csv_rows, open_xlsx
from unionhub.spreadsheets import writing
from unionhub.spreadsheets.writing import (
    DATE,
    MONEY,
    TEXT,
    Sheet,
    SpreadsheetWriter,
    display_width,
    sheet_title,
    write_csv,
    write_xlsx,
)

RESIDENT_ID = "11010519491231002X"
CARD = "1405210000000001"
MOBILE = "13800138000"
FORMULAS = ['=HYPERLINK("http://x","点我")', "+1", "@SUM(A1)", "-2+3"]
HEADERS = ["姓名", "身份证号", "会员证号", "手机号"]


def people():
    return [[name, RESIDENT_ID, CARD, MOBILE] for name in FORMULAS]


def test_it_keeps_ids_card_and_mobile_numbers_as_text_in_xlsx():
    sheet = open_xlsx(write_xlsx(Sheet("会员", HEADERS, people()))).active
    assert_xlsx_text(sheet, RESIDENT_ID, CARD, MOBILE)
    assert_chinese([c.value for c in sheet[1]], sheet.title)


def test_it_keeps_them_as_text_in_csv_behind_a_tab_after_a_bom():
    rows = csv_rows(write_csv(Sheet("会员", HEADERS, people())))
    assert rows[0] == HEADERS
    assert_csv_text(rows, RESIDENT_ID, CARD, MOBILE)


def test_shorter_numbers_and_real_numbers_are_left_alone():
    content = write_xlsx(Sheet("数字", ["编号", "数量"], [["1234567890", 1234567890123]]))
    sheet = open_xlsx(content).active
    assert sheet["A2"].number_format == "General" and sheet["B2"].value == 1234567890123
    assert csv_rows(write_csv(Sheet("数字", ["编号"], [["1234567890"]])))[1] == ["1234567890"]


@pytest.mark.parametrize("write", [write_xlsx, write_csv], ids=["xlsx", "csv"])
def test_formula_like_text_is_neutralised_with_an_apostrophe(write):
    content = write(Sheet("会员", HEADERS, people()))
    if write is write_xlsx:
        sheet = open_xlsx(content).active
        names = [(sheet.cell(row=r, column=1).value, sheet.cell(row=r, column=1).data_type) for r in range(2, 6)]
        assert names == [("'" + f, "s") for f in FORMULAS]
    else:
        assert [row[0] for row in csv_rows(content)[1:]] == ["'" + f for f in FORMULAS]


def test_with_quote_prefix_formula_like_text_is_kept_unchanged_as_a_text_cell():
    """For a file people fix and upload again: Excel shows the text and keeps it text when edited."""
    sheet = open_xlsx(write_xlsx(Sheet("错误", HEADERS, people()), quote_prefix=True)).active
    cell = sheet["A2"]
    assert cell.value == FORMULAS[0] and cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("会员", "会员"),
        ("2026/12 会员:名单[沁水县]?*", "2026_12 会员_名单_沁水县___"),
        ("'引号'", "引号"),
        ("", "Sheet"),
        ("沁水县总工会" * 6, ("沁水县总工会" * 6)[:31]),
    ],
)
def test_sheet_titles_fit_excels_rules(title, expected):
    assert sheet_title(title) == expected and len(sheet_title(title)) <= 31


def test_sheet_titles_are_unique_in_a_workbook():
    long = "一" * 40
    book = open_xlsx(write_xlsx([Sheet("会员", ["姓名"]), Sheet("会员", ["姓名"]), Sheet(long, []), Sheet(long, [])]))
    assert book.sheetnames == ["会员", "会员(2)", "一" * 31, "一" * 28 + "(2)"]


def test_columns_fit_chinese_text_which_counts_double_and_are_capped():
    assert display_width("王秀兰") == 6 and display_width("ab") == 2 and display_width("第一行\n二") == 6
    rows = [["王秀兰", "x" * 500, 7, dt.date(2026, 1, 1)]]
    sheet = open_xlsx(write_xlsx(Sheet("会员", ["姓名", "备注", "数", "日期"], rows))).active
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths == {"A": 8, "B": writing.WIDTH_MAX, "C": writing.WIDTH_MIN, "D": 12}


def test_the_header_is_bold_on_a_fill_and_frozen_with_the_caption_above_it():
    sheet = open_xlsx(write_xlsx(Sheet("会员", HEADERS, people()))).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b and sheet["A1"].fill.fill_type == "solid"
    assert not sheet["A2"].font.b
    sheet = open_xlsx(write_xlsx(Sheet("清单", HEADERS, people(), caption=["补贴发放清单", "沁水县"]))).active
    assert [sheet["A1"].value, sheet["A2"].value] == ["补贴发放清单", "姓名"]
    assert sheet.freeze_panes == "A3" and sheet["A1"].font.b


def test_noted_cells_are_highlighted_with_their_message_as_a_comment():
    notes = {1: {1: "身份证号校验位不对", 9: "没有这一列"}}
    sheet = open_xlsx(write_xlsx(Sheet("错误", HEADERS, people(), notes=notes))).active
    bad = sheet["B3"]
    assert bad.value == RESIDENT_ID and bad.comment.text == "身份证号校验位不对"
    assert bad.fill.fill_type == "solid" and bad.number_format == "@"
    assert sheet["J3"].comment.text == "没有这一列"  # a note past the row's cells: a cell of its own
    assert sheet["B2"].comment is None and sheet["B2"].fill.fill_type is None


def test_formats_dates_money_and_text_columns():
    aware = dt.datetime(2026, 3, 5, 1, 30, tzinfo=dt.UTC)
    rows = [[13800138000.0, dt.date(2026, 3, 5), aware, Decimal("12000.50"), 12]]
    sheet = open_xlsx(
        write_xlsx(Sheet("格式", ["手机", "日期", "时间", "金额", "编号"], rows, formats={0: TEXT, 3: MONEY}))
    ).active
    mobile, date, time, money, number = sheet[2]
    assert (mobile.value, mobile.data_type) == ("13800138000", "s")  # a text column writes numbers as text
    assert date.value == dt.datetime(2026, 3, 5) and date.number_format == DATE
    assert time.value == dt.datetime(2026, 3, 5, 9, 30)  # aware times in Asia/Shanghai (Excel has no zones)
    assert money.value == 12000.5 and money.number_format == MONEY and number.value == 12


def test_fill_to_carries_the_column_formats_down_for_a_template():
    sheet = open_xlsx(write_xlsx(Sheet("模板", HEADERS, [], formats={1: TEXT}, fill_to=50))).active
    assert sheet["B50"].number_format == "@" and sheet["B50"].value is None and sheet.max_row == 50


def test_a_large_sheet_streams_holding_back_only_the_rows_that_size_the_columns(tmp_path):
    path = tmp_path / "大.xlsx"
    with SpreadsheetWriter(str(path), "xlsx") as book:
        sheet = book.sheet("会员", HEADERS)
        for number in range(writing.WIDTH_SAMPLE - 1):
            sheet.row([f"会员{number}", RESIDENT_ID, CARD, MOBILE])
        assert len(sheet._pending) == writing.WIDTH_SAMPLE - 1  # not yet written: the widths are not known
        sheet.row(["最后一个被拿来量宽度的人", RESIDENT_ID, CARD, MOBILE])
        assert sheet._pending is None  # from here on every row goes straight to openpyxl's temporary file
        for number in range(1000):
            sheet.row([f"会员{number}", RESIDENT_ID, CARD, MOBILE])
    result = open_xlsx(path.read_bytes()).active
    assert result.max_row == 1 + writing.WIDTH_SAMPLE + 1000 and result.column_dimensions["A"].width == 26
    assert_xlsx_text(result, RESIDENT_ID)


def test_a_csv_streams_into_the_callers_binary_file_and_leaves_it_open():
    handle = io.BytesIO()
    with SpreadsheetWriter(handle, "csv") as book:
        sheet = book.sheet("会员", HEADERS)
        sheet.row(people()[0])
        with pytest.raises(ValueError):
            book.sheet("再一个", HEADERS)
    assert not handle.closed
    assert_csv_text(csv_rows(handle.getvalue()), RESIDENT_ID)


def test_nothing_is_saved_when_the_rows_fail(tmp_path):
    path = tmp_path / "坏.xlsx"

    def rows():
        yield ["王芳"]
        raise RuntimeError("数据库断开")

    with pytest.raises(RuntimeError), SpreadsheetWriter(str(path), "xlsx") as book:
        sheet = book.sheet("会员", ["姓名"])
        for row in rows():
            sheet.row(row)
    assert not path.exists()


def test_characters_xml_cannot_hold_are_replaced_instead_of_failing_the_file():
    sheet = open_xlsx(write_xlsx(Sheet("会员", ["姓名"], [["王\x07芳"]]))).active
    assert sheet["A2"].value == "王\ufffd芳"


def test_every_admin_export_and_import_format_is_the_writers():
    """django-import-export's own XLSX and CSV would write numbers and formulas their own way."""
    from django.contrib.admin.sites import site

    from unionhub.spreadsheets.formats import ExcelCSV, ExcelXLSX

    exporting = [ma for ma in site._registry.values() if hasattr(ma, "get_export_formats")]
    assert exporting
    for model_admin in exporting:
        assert model_admin.get_export_formats() == [ExcelXLSX, ExcelCSV], type(model_admin).__name__
        if hasattr(model_admin, "get_import_formats"):
            assert model_admin.get_import_formats() == [ExcelXLSX, ExcelCSV], type(model_admin).__name__
