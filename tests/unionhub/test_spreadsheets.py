"""Reading uploaded spreadsheets safely; writing downloads that stay text where they must."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from unionhub.spreadsheets import (
    TEXT,
    Sheet,
    SpreadsheetError,
    cell_text,
    map_headers,
    parse_date,
    read_rows,
    write_xlsx,
)

ALIASES = {"resident_id": ["身份证号", "身份证号码", "id number"], "name": ["姓名"], "mobile": ["手机号", "手机"]}


def test_headers_match_in_chinese_or_english_and_unknown_ones_are_reported():
    headers = ["姓名", " 身份证号码* ", "Mobile", "备注"]
    fields, unknown, missing = map_headers(headers, ALIASES, ["name", "resident_id"])
    assert fields == ["name", "resident_id", "mobile", None]
    assert unknown == ["备注"] and missing == []
    assert map_headers(["姓名"], ALIASES, ["name", "resident_id"])[2] == ["resident_id"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_the_encodings_excel_and_wps_save(encoding):
    data = "姓名,身份证号\n王秀兰,11010519491231002X\n".encode(encoding)
    headers, rows = read_rows(data, "roster.csv")
    assert headers == ["姓名", "身份证号"]
    assert list(rows) == [("王秀兰", "11010519491231002X")]


def test_an_xlsx_round_trip_keeps_ids_as_text():
    content = write_xlsx(Sheet("花名册", ["姓名", "身份证号"], [["王秀兰", "11010519491231002X"]], formats={1: TEXT}))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["B2"].value == "11010519491231002X" and sheet["B2"].number_format == "@"
    headers, rows = read_rows(content, "roster.xlsx")
    assert list(rows) == [("王秀兰", "11010519491231002X")]


def test_downloads_neutralise_formulas():
    content = write_xlsx(Sheet("名单", ["姓名"], [["=cmd|'/c calc'!A1"], ["@SUM(1)"], ["\tx"]]))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(row=r, column=1).value for r in (2, 3, 4)] == ["'=cmd|'/c calc'!A1", "'@SUM(1)", "'\tx"]


def test_formulas_are_never_evaluated():
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名"])
    workbook.active.append(["=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _, rows = read_rows(buffer.getvalue(), "f.xlsx")
    assert list(rows) in ([("=1+1",)], [(None,)], [])


def test_a_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(SpreadsheetError):
        read_rows(buffer.getvalue(), "bomb.xlsx")


def test_an_xml_entity_attack_is_refused():
    workbook = openpyxl.Workbook()
    workbook.active.append(["a"])
    source = io.BytesIO()
    workbook.save(source)
    hostile = io.BytesIO()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(io.BytesIO(source.getvalue())) as src, zipfile.ZipFile(hostile, "w") as dst:
        for item in src.infolist():
            data = laughs if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            dst.writestr(item, data)
    with pytest.raises(SpreadsheetError):
        headers, rows = read_rows(hostile.getvalue(), "hostile.xlsx")
        list(rows)


@pytest.mark.parametrize(
    "value",
    ["2024-03-05", "2024/3/5", "2024年3月5日", "2024.3.5", "20240305", 45356, dt.datetime(2024, 3, 5, 0, 0)],
)
def test_dates_in_the_forms_county_staff_type(value):
    assert parse_date(value) == dt.date(2024, 3, 5)


@pytest.mark.parametrize("value", ["2024-02-30", "三月五日", "", "5/3/2024"])
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_cells_become_trimmed_text():
    assert cell_text(" 王秀兰\u3000") == "王秀兰"
    assert cell_text(13800138000.0) == "13800138000"
    assert cell_text(None) == ""


def test_unsupported_files_and_empty_files_get_a_message():
    with pytest.raises(SpreadsheetError):
        read_rows(b"x", "roster.pdf")
    with pytest.raises(SpreadsheetError):
        read_rows(b"\n\n", "roster.csv")


def excel_like_xlsx(path, rows) -> None:
    """An XLSX as Excel and WPS save it: every text in the shared-string table (one entry as rich text runs,
    with a phonetic hint), cells referring to it by number; openpyxl writes inline strings instead."""
    strings: list[str] = []

    def ref(text):
        if text not in strings:
            strings.append(text)
        return strings.index(text)

    def escape(text):
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    sheet_rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{chr(65 + c)}{r}" s="1" t="s"><v>{ref(v)}</v></c>' for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    items = [f"<si><t>{escape(t)}</t></si>" for t in strings]
    items[0] = '<si><r><t>姓</t></r><r><rPr><b/></rPr><t>名</t></r><rPh sb="0" eb="1"><t>xing</t></rPh></si>'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{sheet_rows}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{main}" count="{len(strings)}">{"".join(items)}</sst>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)


@pytest.mark.parametrize("decoded_max", [400_000, 0])
def test_shared_strings_read_the_same_as_strings_or_as_one_blob(decoded_max, monkeypatch, tmp_path):
    """A large shared-string table stays one UTF-8 blob (a million-row roster); a smaller one is decoded once.
    Both read every cell the same, markup-like text and escapes included."""
    from unionhub.spreadsheets import xlsx_stream

    monkeypatch.setattr(xlsx_stream, "DECODED_STRINGS_MAX", decoded_max)
    rows = [
        ["姓名", "身份证号", "备注"],
        ["王<b>芳</b>", "14052119900101002X", "A&B"],
        ["李强", "140521199001010013", "王<b>芳</b>"],
    ]
    path = tmp_path / "strings.xlsx"
    excel_like_xlsx(path, rows)
    archive = zipfile.ZipFile(path)
    table = xlsx_stream.SharedStrings(archive, xlsx_stream._sheets(archive)[1])
    assert (table.decoded is not None) == (decoded_max > 0) and len(table) == 8  # 姓名 (rich text) and seven more
    assert [list(values) for _n, values in xlsx_stream.xlsx_rows(path)] == rows


def test_sheet_facts_counted_beside_the_rows_match_a_pass_of_their_own(tmp_path):
    """The hidden rows and columns and the last row, counted in a thread while the rows are checked, are the
    ones a pass of their own finds; the sheet's own claim of its size is the progress bar's first estimate."""
    from unionhub.spreadsheets.layout import SheetFactsLater, xlsx_dimension_rows, xlsx_sheet_facts

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for n in range(1, 41):
        sheet.append([f"会员{n}", n])
    sheet.row_dimensions[7].hidden = True
    sheet.column_dimensions["B"].hidden = True
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    later = SheetFactsLater(str(path), 0)
    assert later.estimate == 40 == xlsx_dimension_rows(str(path), 0)
    facts = later.result()
    assert later.ready() and facts == xlsx_sheet_facts(str(path), 0)
    assert (facts.last_row, facts.hidden_rows, facts.hidden_columns) == (40, [7], [1])

    streamed = openpyxl.Workbook(write_only=True)  # writes no <dimension>: no estimate, the count decides
    streamed.create_sheet("花名册").append(["姓名"])
    streamed.save(tmp_path / "streamed.xlsx")
    assert xlsx_dimension_rows(str(tmp_path / "streamed.xlsx"), 0) == 0
    assert SheetFactsLater(str(tmp_path / "streamed.xlsx"), 0).result().last_row == 1

    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    broken = SheetFactsLater(str(tmp_path / "broken.xlsx"), 0)
    assert broken.estimate == 0 and broken.result().last_row == 0  # reading the rows says what is wrong


def _rewritten_sheet(source, target, change) -> None:
    """A copy of the XLSX ``source`` whose first worksheet's XML is ``change(xml)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, change(data) if item.filename == "xl/worksheets/sheet1.xml" else data)


def test_sheet_facts_of_a_long_sheet_are_those_of_a_row_by_row_scan(tmp_path, monkeypatch):
    """A sheet of several 1 MB pieces: the pieces with no hidden row and a numbered last row are counted by
    bytes alone, and the facts are exactly those of the row-by-row scan - rows numbered or not (a writer that
    leaves out ``r``), a hidden row in the middle, a namespace prefix on every tag."""
    import re

    from unionhub.spreadsheets import layout

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for n in range(1, 30001):
        sheet.append([f"会员{n}", "140521199001011234", 13900000000 + n])
    sheet.row_dimensions[15000].hidden = True
    numbered = tmp_path / "numbered.xlsx"
    workbook.save(numbered)
    unnumbered = tmp_path / "unnumbered.xlsx"  # the rows after 20,000 without their r attribute
    _rewritten_sheet(
        numbered,
        unnumbered,
        lambda xml: re.sub(rb'<row r="(\d+)"', lambda m: b"<row" if int(m.group(1)) > 20000 else m.group(0), xml),
    )
    prefixed = tmp_path / "prefixed.xlsx"
    _rewritten_sheet(
        numbered,
        prefixed,
        lambda xml: re.sub(rb"<(/?)(row|c|v|sheetData)\b", rb"<\1x:\2", xml).replace(
            b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        ),
    )
    plain = layout._plain_rows
    took_bytes = []

    def counted(piece, facts):
        took_bytes.append(plain(piece, facts))
        return took_bytes[-1]

    monkeypatch.setattr(layout, "_plain_rows", counted)
    fast = {path.name: layout.xlsx_sheet_facts(str(path), 0) for path in (numbered, unnumbered, prefixed)}
    assert took_bytes.count(True) >= 2 and False in took_bytes  # both ways were taken
    monkeypatch.setattr(layout, "_plain_rows", lambda piece, facts: False)
    for path in (numbered, unnumbered, prefixed):
        scanned = layout.xlsx_sheet_facts(str(path), 0)
        assert fast[path.name] == scanned, path.name
        assert (scanned.rows, scanned.last_row, scanned.hidden_rows) == (30000, 30000, [15000]), path.name
