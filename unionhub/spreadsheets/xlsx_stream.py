"""A fast streaming reader for the sheets of an XLSX workbook, for large member rosters.

openpyxl's read-only mode builds an element tree and a cell object per cell: about 5,000 rows a second here,
20 s for a 100,000-row roster, and it parses the whole sheet twice when the writer left out the
``<dimension>`` element (openpyxl's own write-only mode does). Rosters need only the stored values of a
rectangular table, so this reader scans the sheet XML with regular expressions in 1 MB chunks (constant
memory) and keeps the shared-string table as Python strings up to 400,000 entries (fast to read back) and, for a
larger table, as one UTF-8 blob with an offset array (a million unique names and ID numbers take about 50 MB
instead of 250 MB as Python strings).

It keeps ``unionhub.spreadsheets``' safety rules: the zip directory is checked for bombs first
(``check_archive``; zipfile also stops each member at its declared size), the small workbook parts are parsed
with defusedxml, and a part that declares a DTD (where entity attacks live) is refused - no entity is ever
expanded, as no XML parser is involved. Formulas are never evaluated: a formula cell reads as its cached
value. Values come back as openpyxl's would for a roster: text as ``str``, numbers as ``int`` or ``float``
(dates as their Excel serial number, which ``parse_date`` accepts), booleans as ``bool``.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Iterator
from html import unescape
from posixpath import join, normpath

from defusedxml import ElementTree
from django.utils.translation import gettext as _

from unionhub.spreadsheets.reading import NOT_A_WORKBOOK, SpreadsheetError, check_archive

CHUNK = 1 << 20
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


# Some writers prefix every element (x:row); Excel and WPS use the default namespace. The sheet is scanned as
# bytes (several times faster than str for mostly-ASCII XML) and only the values are decoded.
def _scan_re(prefix: bytes) -> re.Pattern:
    """One match per row start or cell, in document order, over a whole chunk of rows (one C-level scan
    instead of one per row). A row start fills groups 1-3 ("row", its attributes, "/" when it is empty); a cell
    fills the column letters when ``r`` comes first (Excel, WPS and openpyxl write it first), its other
    attributes, then the usual bodies (a stored value, an inline string) directly and anything else (rich
    text, formulas) as a group parsed further."""
    p = re.escape(prefix)
    return re.compile(
        rb"<(?:(?:\w+:)?(row)\b([^>]*?)(/?)|"
        + p
        + rb'c(?: r="([A-Z]{1,3})\d*")?((?:\s[^>/]*)?)(?:/|>(?:<'
        + p
        + rb"v>([^<]*)</"
        + p
        + rb"v>|<"
        + p
        + rb"is><"
        + p
        + rb"t>([^<]*)</"
        + p
        + rb"t></"
        + p
        + rb"is>|(.*?))</"
        + p
        + rb"c))>",
        re.S,
    )


_ROW_NUM_RE = re.compile(rb'\br="(\d+)"')
_SHEETDATA_RE = re.compile(rb"<(\w+:)?sheetData\b")
_V_RE = re.compile(r"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_F_RE = re.compile(r"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_T_RE = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_RPH_RE = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)  # phonetic hints, not part of the text
_SI_END = b"</si>"
_DTD_RE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)


_COLUMNS: dict[bytes, int] = {}


def _column(letters: bytes) -> int:
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for code in letters:
            index = index * 26 + code - 64
        index = _COLUMNS[letters] = index - 1
    return index


def _column_index(attrs: bytes) -> int | None:
    """The zero-based column of a cell from its ``r="BC12"`` attribute, or None without one."""
    at = attrs.find(b'r="')
    if at < 0 or (at and attrs[at - 1] not in b" \t\r\n"):
        return None
    index = 0
    for code in attrs[at + 3 : at + 7]:
        if not 65 <= code <= 90:
            break
        index = index * 26 + code - 64
    return index - 1


def _text(fragment: str) -> str:
    """The text of an ``<is>`` or ``<si>`` element: its ``<t>`` runs, phonetic hints left out."""
    if "<" not in fragment:
        return unescape(fragment)
    fragment = _RPH_RE.sub("", fragment)
    return unescape("".join(t or "" for t in _T_RE.findall(fragment)))


def _number(text: str):
    text = text.strip()
    if not text:
        return None
    if "." in text or "E" in text or "e" in text:
        value = float(text)
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return int(text)


def _refuse_dtd(head: bytes) -> None:
    if _DTD_RE.search(head):
        raise SpreadsheetError(_("This XLSX workbook declares XML entities and was refused."))


def _chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    with archive.open(name) as stream:
        first = True
        while data := stream.read(CHUNK):
            if first:
                _refuse_dtd(data[:4096])
                first = False
            yield data


_SI_RE = re.compile(r"<si\b[^>]*?(?:/>|>(?:<t>([^<]*)</t>|(.*?))</si>)", re.S)


def _whole(archive: zipfile.ZipFile, name: str, end: bytes) -> Iterator[tuple[bytes, bool]]:
    """The part in pieces of about a chunk, each ending just after an ``end`` tag so that no element is cut,
    then what follows the last one (``True``). Refused if no ``end`` comes within 64 chunks."""
    pending = b""
    for chunk in _chunks(archive, name):
        data = pending + chunk
        cut = data.rfind(end)
        if cut < 0:
            if len(data) > 64 * CHUNK:
                raise SpreadsheetError(_("This XLSX workbook cannot be read: %(error)s") % {"error": "too long"})
            pending = data
            continue
        cut += len(end)
        yield data[:cut], False
        pending = data[cut:]
    yield pending, True


def _si_entries(archive: zipfile.ZipFile, name: str) -> Iterator[list[str]]:
    """The text of each ``<si>`` of the shared-string part, a chunk's worth at a time: each chunk is decoded
    once and scanned with one regular expression; a plain ``<t>`` run is taken as it is, anything else (rich
    text, phonetic hints, preserved spaces) goes through ``_text``; an empty ``<si/>`` is an empty entry (also
    after the last full one)."""
    for piece, _rest in _whole(archive, name, _SI_END):
        yield _si_texts(piece.decode())


def _si_texts(xml: str) -> list[str]:
    if "&" not in xml:  # no entity anywhere in the chunk: plain runs are the text itself
        return [_text(other) if other else plain for plain, other in _SI_RE.findall(xml)]
    return [_text(other) if other else unescape(plain) for plain, other in _SI_RE.findall(xml)]


# Up to this many shared strings are kept as Python strings (fast to read back, about 60 bytes each); a larger
# table (a million-row roster) stays one UTF-8 blob with an offset array, decoded on each read.
DECODED_STRINGS_MAX = 400_000


class SharedStrings:
    """The shared-string table: a list of strings, or for a very large table one UTF-8 blob and an offset
    array. ``strings[i]`` reads entry ``i`` either way."""

    def __init__(self, archive: zipfile.ZipFile | None, name: str | None):
        self.blob = bytearray()
        self.offsets = array("Q", [0])
        self.decoded: list[str] | None = []
        if archive is None or name is None:
            return
        for texts in _si_entries(archive, name):
            if self.decoded is not None:
                self.decoded += texts
                if len(self.decoded) > DECODED_STRINGS_MAX:
                    self._to_blob()
                continue
            for text in texts:
                self.blob += text.encode()
                self.offsets.append(len(self.blob))

    def _to_blob(self) -> None:
        """Move the strings read so far into the blob; from now on every entry goes there."""
        for text in self.decoded or ():
            self.blob += text.encode()
            self.offsets.append(len(self.blob))
        self.decoded = None

    def lookup(self):
        """The fastest way to read entries: ``lookup()(i)``."""
        if self.decoded is not None:
            return self.decoded.__getitem__
        return self._from_blob

    def _from_blob(self, index: int) -> str:
        return self.blob[self.offsets[index] : self.offsets[index + 1]].decode()

    def __getitem__(self, index: int) -> str:
        return self.decoded[index] if self.decoded is not None else self._from_blob(index)

    def __len__(self) -> int:
        return len(self.decoded) if self.decoded is not None else len(self.offsets) - 1


def _sheets(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], str | None]:
    """([(sheet name, path of the worksheet)] in workbook order, path of the shared strings or None), from the
    workbook's relations. Sheets whose part is missing are left out."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        raise SpreadsheetError(_("This file is not a valid XLSX workbook.")) from None
    except Exception:  # defusedxml refuses entities and DTDs with its own exceptions
        raise SpreadsheetError(_("This XLSX workbook declares XML entities and was refused.")) from None
    targets = {}
    shared = None
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        target = normpath(target.lstrip("/")) if target.startswith("/") else normpath(join("xl", target))
        targets[rel.get("Id")] = target
        if rel.get("Type", "").endswith("/sharedStrings"):
            shared = target
    names = set(archive.namelist())
    sheets = [
        (sheet.get("name") or "", targets[sheet.get(f"{_NS_REL}id")])
        for sheet in workbook.iterfind(f"{_NS_MAIN}sheets/{_NS_MAIN}sheet")
        if targets.get(sheet.get(f"{_NS_REL}id")) in names
    ]
    if not sheets:
        raise SpreadsheetError(_("This XLSX workbook has no worksheet."))
    return sheets, shared if shared in names else None


def xlsx_sheet_names(path_or_file) -> list[str]:
    """The names of the worksheets, in workbook order."""
    with _open(path_or_file) as archive:
        return [name for name, _path in _sheets(archive)[0]]


def _open(path_or_file) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path_or_file)
    except (zipfile.BadZipFile, OSError):
        raise SpreadsheetError(NOT_A_WORKBOOK) from None
    check_archive(archive)
    return archive


def _decode(raw: bytes) -> str:
    text = raw.decode()
    return unescape(text) if "&" in text else text


# The type of a cell from its attributes (`` s="3" t="s"``): the same few attribute strings repeat down a
# sheet, so each is looked at once.
_KINDS: dict[bytes, bytes] = {}


def _kind(attrs: bytes) -> bytes:
    at = attrs.find(b't="')
    kind = attrs[at + 3 : attrs.index(b'"', at + 3)] if at >= 0 else b"n"
    if len(_KINDS) < 4096:
        _KINDS[attrs] = kind
    return kind


def _complex_value(kind: bytes, inner: str, strings: SharedStrings):
    if kind == b"inlineStr":
        return _text(inner)
    v = _V_RE.search(inner)
    if v is not None:
        raw = v.group(1)
        if kind == b"s":
            return strings[int(raw)]
        if kind in (b"str", b"e"):
            return unescape(raw)
        if kind == b"b":
            return raw.strip() == "1"
        return _number(raw)
    formula = _F_RE.search(inner)
    if formula is not None and formula.group(1):
        # No cached result: the formula text, never evaluated; validation refuses it.
        return "=" + unescape(formula.group(1))
    return None


def xlsx_rows(path_or_file, sheet: int = 0) -> Iterator[tuple[int, tuple]]:
    """(sheet row number, values) for every stored row of worksheet ``sheet`` (0 = the first). Raises
    SpreadsheetError for a hostile or broken file or a sheet that is not there."""
    with _open(path_or_file) as archive:
        sheets, shared = _sheets(archive)
        if not 0 <= sheet < len(sheets):
            raise SpreadsheetError(_("This workbook has no sheet %(number)s.") % {"number": sheet + 1})
        sheet = sheets[sheet][1]
        try:
            strings = SharedStrings(archive, shared)
            with archive.open(sheet) as stream:
                head = stream.read(CHUNK)
            found = _SHEETDATA_RE.search(head)
            prefix = (found.group(1) or b"") if found else b""
            yield from _scan(archive, sheet, prefix, strings)
        except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, IndexError) as exc:
            raise SpreadsheetError(_("This XLSX workbook cannot be read: %(error)s") % {"error": exc}) from None


def _scan(archive: zipfile.ZipFile, sheet: str, prefix: bytes, strings: SharedStrings) -> Iterator[tuple[int, tuple]]:
    """The rows of a worksheet part: chunks cut after their last ``</row>``, each scanned in one pass."""
    scan = _scan_re(prefix).findall
    row_end = b"</" + prefix + b"row>"
    read_string = strings.lookup()
    columns, kinds = _COLUMNS, _KINDS
    next_number = 1
    number = values = None  # the row being read (None: before the first row, or in an empty <row/>)
    for data, rest in _whole(archive, sheet, row_end):
        if rest:  # after the last row: the end of the sheet
            break
        for is_row, row_attrs, empty, letters, attrs, stored, inline, other in scan(data):
            if is_row:
                if values:
                    yield number, tuple(values)
                if empty:  # <row r="7"/>: nothing stored
                    values = None
                    continue
                found = _ROW_NUM_RE.search(row_attrs)
                number = int(found.group(1)) if found else next_number
                next_number = number + 1
                values = []
                continue
            if values is None:  # a cell outside any row: not part of the table
                continue
            index = (columns.get(letters) or _column(letters)) if letters else _column_index(attrs)
            if index is not None and index != len(values):
                if index < len(values) or index > 16383:
                    raise SpreadsheetError(_("This file is not a valid XLSX workbook."))
                values.extend([None] * (index - len(values)))
            kind = kinds.get(attrs) or _kind(attrs)
            if other:
                values.append(_complex_value(kind, other.decode(), strings))
            elif kind == b"s":
                values.append(read_string(int(stored)) if stored else None)
            elif kind == b"n" and stored.isdigit():
                values.append(int(stored))
            elif kind == b"inlineStr":
                value = inline.decode()
                values.append(unescape(value) if "&" in value else value)
            elif not stored:
                values.append(None)
            elif kind in (b"str", b"e"):
                values.append(_decode(stored))
            elif kind == b"b":
                values.append(stored.strip() == b"1")
            else:
                values.append(_number(stored.decode()))
        # Every row of the chunk ended at or before the cut.
        if values:
            yield number, tuple(values)
        values = None
