"""The streaming XLSX reader on sheet XML as the writers lay it out: Excel and WPS (default namespace,
shared strings, ``r`` first), other writers (prefixed elements, no ``r``, inline strings, empty rows), and
sheets longer than one read chunk. Each is compared with openpyxl reading the same file."""

import io
import zipfile

import openpyxl
import pytest

from unionhub.spreadsheets import xlsx_stream
from unionhub.spreadsheets.xlsx_stream import xlsx_rows

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook(sheet_data: str, strings: list[str] = (), prefix: str = "") -> bytes:
    """An XLSX holding one sheet whose ``<sheetData>`` is ``sheet_data`` (element names as given)."""
    ns = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="会员" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        p = prefix
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns}><{p}sheetData>{sheet_data}'
            f"</{p}sheetData></{p}worksheet>",
        )
        items = "".join(f"<si><t>{text}</t></si>" for text in strings)
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(strings)}">{items}</sst>',
        )
    return buffer.getvalue()


def openpyxl_rows(content: bytes) -> list[tuple[int, tuple]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = []
    for row in sheet.iter_rows():
        values = [cell.value for cell in row]
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((row[0].row, tuple(values)))
    return rows


def ours(content: bytes) -> list[tuple[int, tuple]]:
    rows = []
    for number, values in xlsx_rows(io.BytesIO(content)):
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((number, tuple(values)))
    return rows


def test_excel_layout_shared_strings_numbers_and_gaps():
    data = (
        '<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s" s="1"><v>3</v></c><c r="C2"><v>13800138000</v></c></row>'
        '<row r="4"><c r="B4" s="2"><v>2.5</v></c><c r="D4" t="b"><v>1</v></c>'
        '<c r="E4" t="str"><v>a&amp;b</v></c></row>'
        '<row r="5" ht="15"/>'
        '<row r="6"><c r="A6" t="inlineStr"><is><t>张三</t></is></c><c r="B6" t="e"><v>#N/A</v></c></row>'
    )
    content = workbook(data, ["姓名", "身份证号", "手机号", "李四"])
    assert ours(content) == [
        (1, ("姓名", "身份证号", "手机号")),
        (2, ("李四", None, 13800138000)),
        (4, (None, 2.5, None, True, "a&b")),
        (6, ("张三", "#N/A")),
    ]
    unstyled = workbook(data.replace(' s="1"', "").replace(' s="2"', ""), ["姓名", "身份证号", "手机号", "李四"])
    assert ours(unstyled) == openpyxl_rows(unstyled)


def test_prefixed_elements_cells_without_references_and_rows_without_numbers():
    data = (
        '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>'
        '<x:row><x:c><x:v>7</x:v></x:c><x:c/><x:c t="inlineStr"><x:is><x:t>王五</x:t></x:is></x:c></x:row>'
        '<x:row r="9"><x:c r="B9" t="s"><x:v>1</x:v></x:c></x:row>'
        "<x:row><x:c><x:v>1</x:v></x:c></x:row>"
    )
    content = workbook(data, ["姓名", "身份证号"], prefix="x:")
    assert ours(content) == [
        (1, ("姓名", "身份证号")),
        (2, (7, None, "王五")),
        (9, (None, "身份证号")),
        (10, (1,)),
    ]


def test_rich_text_and_formulas_read_as_their_text_and_cached_values():
    data = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>1+1</f><v>2</v></c>'
        '<c r="C1" t="str"><f>A1&amp;"x"</f><v>姓名x</v></c><c r="D1"><f>SUM(A1:A2)</f></c></row>'
    )
    content = workbook(data, ["姓名"])
    assert ours(content) == [(1, ("姓名", 2, "姓名x", "=SUM(A1:A2)"))]


@pytest.mark.parametrize("chunk", [64, 97, 1 << 20])
def test_rows_cut_by_chunk_boundaries_read_whole(monkeypatch, chunk):
    """The sheet is read in chunks cut after their last ``</row>``; a row or a cell split across two chunks
    is read whole, whatever the chunk size."""
    monkeypatch.setattr(xlsx_stream, "CHUNK", chunk)
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>{n % 3}</v></c><c r="B{n}"><v>{n * 7}</v></c>'
        f'<c r="C{n}" t="inlineStr"><is><t>第{n}行</t></is></c></row>'
        for n in range(1, 400)
    )
    content = workbook(rows, ["甲", "乙", "丙"])
    expected = [(n, ("甲乙丙"[n % 3], n * 7, f"第{n}行")) for n in range(1, 400)]
    assert ours(content) == expected


def test_a_row_without_an_end_in_64_chunks_is_refused(monkeypatch):
    from unionhub.spreadsheets import SpreadsheetError

    monkeypatch.setattr(xlsx_stream, "CHUNK", 64)
    content = workbook('<row r="1">' + '<c r="A1"><v>1</v></c>' * 400)
    with pytest.raises(SpreadsheetError):
        list(xlsx_rows(io.BytesIO(content)))


def test_shared_strings_plain_rich_escaped_and_empty():
    """Entities are expanded once (``&amp;lt;`` is the text ``&lt;``), rich-text runs are joined, phonetic
    hints left out, preserved spaces kept, and an empty ``<si/>`` keeps its place in the table."""
    from unionhub.spreadsheets.xlsx_stream import SharedStrings

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "sst.xml",
            f'<sst xmlns="{MAIN}"><si><t>张三</t></si><si><t>A&amp;B &amp;lt;</t></si>'
            "<si><r><t>李</t></r><r><rPr><b/></rPr><t>四&amp;lt;</t></r></si><si/>"
            '<si><t>王</t><rPh sb="0" eb="1"><t>wang</t></rPh></si><si><t xml:space="preserve"> 赵六 </t></si></sst>',
        )
    with zipfile.ZipFile(buffer) as archive:
        strings = SharedStrings(archive, "sst.xml")
    assert [strings[i] for i in range(len(strings))] == ["张三", "A&B &lt;", "李四&lt;", "", "王", " 赵六 "]
