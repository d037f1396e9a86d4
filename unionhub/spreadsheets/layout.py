"""Finding the table in a spreadsheet as people lay it out: which sheet holds it, which row is its header
(below title rows, merged titles and blank rows), and which column is which field.

Generic: an import gives its fields' aliases; nothing here knows about members. Headers are compared after
:func:`normalise_header`, so ``手机号码（选填）``, ``身份证号(18位)``, ``身 份 证 号`` and ``*姓名`` all match
their plain alias.
"""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from unionhub.spreadsheets import xlsx_stream
from unionhub.spreadsheets.reading import SpreadsheetError

SCAN_ROWS = 30  # a header below the first 30 non-blank rows is not a header
IGNORE = "_ignore"  # the field of a column the user chose not to import
_ANNOTATION_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|<[^<>]*>|〔[^〔〕]*〕")
_NOISE_RE = re.compile(r"[\s*:_\-/\\.、·]")


def normalise_header(text) -> str:
    """A header as compared with aliases: full-width characters folded (NFKC), bracketed annotations
    (``（选填）``, ``(18位)``, ``【必填】``) removed, spaces, line breaks, asterisks and punctuation dropped,
    lower case. A header that is nothing but an annotation keeps its text."""
    text = unicodedata.normalize("NFKC", str(text or "")).replace("\u3000", " ")
    stripped = _ANNOTATION_RE.sub("", text)
    if _NOISE_RE.sub("", stripped):
        text = stripped
    return _NOISE_RE.sub("", text).strip("()[]【】").lower()


def header_lookup(aliases: dict[str, list[str]]) -> dict[str, str]:
    """normalised alias -> field, for every field and its aliases."""
    return {normalise_header(alias): name for name, names in aliases.items() for alias in [name, *names]}


def map_headers(headers: list, aliases: dict[str, list[str]], required: list[str]) -> tuple[list, list, list]:
    """(field or None per column, headers mapped to nothing, required fields with no column)."""
    lookup = header_lookup(aliases)
    fields = [lookup.get(normalise_header(h)) if str(h or "").strip() else None for h in headers]
    unknown = [str(h) for h, f in zip(headers, fields, strict=True) if f is None and str(h or "").strip()]
    missing = [name for name in required if name not in fields]
    return fields, unknown, missing


@dataclass
class Table:
    """Where a table was found: the sheet (index and name, with the names of all sheets), the header's row
    number in the sheet, the header cells, and the data rows after it as (row number, values).

    ``header_end``: the last row of the header (a merged two-row header, 联系方式 over 手机号 / 固定电话, is
    read as one). ``others``: the other sheets whose header names every required field too (a workbook with
    two rosters), found only when no sheet was chosen."""

    sheet: int
    sheet_names: list[str]
    header_row: int
    header: list
    rows: Iterator[tuple[int, tuple]] = field(repr=False)
    header_end: int = 0
    others: list[int] = field(default_factory=list)

    @property
    def sheet_name(self) -> str:
        return self.sheet_names[self.sheet] if self.sheet < len(self.sheet_names) else ""


_DIGIT_RE = re.compile(r"\d")


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _subheader(header: tuple, below: tuple, lookup: dict[str, str]) -> bool:
    """Whether ``below`` is the second row of a two-row header: text cells only, no digits (a member row has
    an ID number), and at least one of them under a blank header cell (the rest of a merged group cell) or
    naming a field."""
    cells = [(i, v) for i, v in enumerate(below) if v is not None and str(v).strip()]
    if not cells or any(not _is_text(v) or _DIGIT_RE.search(v) for _i, v in cells):
        return False
    return any(i >= len(header) or not _is_text(header[i]) or normalise_header(v) in lookup for i, v in cells) and any(
        i < len(header) and not _is_text(header[i]) for i, _v in cells
    )


def merge_header(header: tuple, below: tuple, lookup: dict[str, str]) -> list:
    """One header from a two-row one: a sub-header cell that names a field stands alone (手机号); any other is
    named with its group (联系方式/固定电话), the group being the cell above it or, under a merged cell, the
    nearest one to its left; a column with nothing below keeps its header."""
    width = max(len(header), len(below))
    header = [*header, *[None] * (width - len(header))]
    below = [*below, *[None] * (width - len(below))]
    merged, group = [], None
    for top, sub in zip(header, below, strict=True):
        if _is_text(top):
            group = top.strip()
        elif not _is_text(sub):
            group = None  # a blank column ends a group
        if not _is_text(sub):
            merged.append(top)
        elif normalise_header(sub) in lookup or not group:
            merged.append(sub.strip())
        else:
            merged.append(f"{group}/{sub.strip()}")
    return merged


def _score(values: tuple, lookup: dict[str, str]) -> set[str]:
    return {
        lookup[key]
        for key in (normalise_header(v) for v in values if isinstance(v, str) and v.strip())
        if key in lookup and not lookup[key].startswith("_")
    }


def locate_table(
    open_sheet: Callable[[int], Iterator[tuple[int, tuple]]],
    sheet_names: list[str],
    aliases: dict[str, list[str]],
    required: list[str],
    *,
    sheet: int | None = None,
    scan: int = SCAN_ROWS,
    header_row: int | None = None,
) -> Table:
    """Find the header row: among the first ``scan`` non-blank rows of each sheet (or of ``sheet`` only), the
    row naming the most fields (at least two). The first sheet whose header names every required field
    wins; failing that, the sheet whose header names the most fields (so that the user can map the rest).
    Raises SpreadsheetError with one sentence when no sheet has anything like a header.

    ``header_row``: the user's choice when no header was recognised — that row of ``sheet`` (or the first
    sheet) is the header whatever it says; 0: the sheet has no header, every row is data."""
    if sheet is not None and not 0 <= sheet < len(sheet_names):
        raise SpreadsheetError(
            _("This file has no sheet %(number)s; it has %(count)s.") % {"number": sheet + 1, "count": len(sheet_names)}
        )
    if header_row is not None:
        return _chosen_table(open_sheet, sheet_names, sheet or 0, header_row)
    lookup = header_lookup(aliases)
    best: tuple[int, int] | None = None  # (score, sheet)
    table: Table | None = None
    for index in [sheet] if sheet is not None else range(len(sheet_names)):
        rows = open_sheet(index)
        head = list(itertools.islice((r for r in rows if any(str(v or "").strip() for v in r[1])), scan))
        scored = [(len(_score(values, lookup)), -position) for position, (_n, values) in enumerate(head)]
        if not scored or max(scored)[0] < 2:
            _close(rows)
            continue
        score, position = max(scored)
        found = _score(head[-position][1], lookup)
        if table is not None:  # a roster was found already: does this sheet hold one too?
            _close(rows)
            if all(name in found for name in required):
                table.others.append(index)
            continue
        if all(name in found for name in required) or sheet is not None:
            number, header = head[-position]
            after = -position + 1
            end = number
            if after < len(head) and _subheader(header, head[after][1], lookup):
                end, below = head[after]
                header, after = merge_header(header, below, lookup), after + 1
            table = Table(index, sheet_names, number, list(header), itertools.chain(head[after:], rows), end)
            continue
        _close(rows)
        if best is None or score > best[0]:
            best = (score, index)
    if table is not None:
        return table
    if best is not None:
        return locate_table(open_sheet, sheet_names, aliases, required, sheet=best[1], scan=scan)
    raise SpreadsheetError(
        _(
            "No header row was found in this file: none of its first rows names columns such as %(examples)s. "
            "It may not be a roster; download the template to see the columns."
        )
        % {"examples": "、".join(names[0] if names else name for name, names in list(aliases.items())[:3])}
    )


def first_rows(open_sheet: Callable[[int], Iterator[tuple[int, tuple]]], sheet: int, count: int = 8) -> list:
    """The first ``count`` non-blank rows of a sheet as (row number, values): what the user picks a header
    from when none was recognised."""
    rows = open_sheet(sheet)
    try:
        return list(itertools.islice((r for r in rows if any(str(v or "").strip() for v in r[1])), count))
    finally:
        _close(rows)


def _chosen_table(open_sheet, sheet_names: list[str], sheet: int, header_row: int) -> Table:
    rows = open_sheet(sheet)
    filled = (r for r in rows if any(str(v or "").strip() for v in r[1]))
    if header_row == 0:  # no header: every row is data; the columns are named by their letters
        first = next(filled, None)
        if first is None:
            _close(rows)
            raise SpreadsheetError(_("Sheet “%(sheet)s” is empty.") % {"sheet": sheet_names[sheet]})
        header = [column_letter(i) + _("column") for i in range(len(first[1]))]
        return Table(sheet, sheet_names, 0, header, itertools.chain([first], rows))
    for number, values in filled:
        if number == header_row:
            return Table(sheet, sheet_names, number, list(values), rows)
        if number > header_row:
            break
    _close(rows)
    raise SpreadsheetError(
        _("Row %(row)s of sheet “%(sheet)s” is blank or missing; choose the row that names the columns.")
        % {"row": header_row, "sheet": sheet_names[sheet]}
    )


def column_letter(index: int) -> str:
    """A column's letters as the spreadsheet shows them (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _close(rows) -> None:
    close = getattr(rows, "close", None)
    if close:
        close()


@dataclass
class SheetFacts:
    """What a worksheet says beside its values: how many rows it stores (for a progress bar), and which rows
    and columns are hidden (numbers as the user sees them; columns 0-based). Hidden lists stop at ``HIDDEN_MAX``."""

    rows: int = 0
    last_row: int = 0
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)


HIDDEN_MAX = 1000
_ROW_TAG_RE = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL_TAG_RE = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTR_RE = re.compile(rb'\b(r|hidden|min|max)="([^"]*)"')


def _plain_rows(piece: bytes, facts: SheetFacts) -> bool:
    """Count a piece's rows when none is hidden, no tag has a namespace prefix and the last one is numbered,
    with byte counts (C speed, no regular expression over the piece): this runs in a thread beside the
    roster check, in its process, and a scan holds the interpreter. False: the piece needs the full scan."""
    if b"hidden" in piece or b":row" in piece:
        return False
    count = piece.count(b"<row ") + piece.count(b"<row>")
    if not count:
        return True
    last = _ROW_TAG_RE.match(piece, max(piece.rfind(b"<row "), piece.rfind(b"<row>")))
    number = dict(_ATTR_RE.findall(last.group(1))).get(b"r", b"") if last else b""
    if not number.isdigit():
        return False
    facts.rows += count
    facts.last_row = int(number)
    return True


def xlsx_sheet_facts(path_or_file, sheet: int) -> SheetFacts:
    """One pass over a worksheet's XML (C-speed scans of 1 MB pieces, constant memory): its stored rows and
    its hidden rows and columns. Values are not read here."""
    facts = SheetFacts()
    with xlsx_stream._open(path_or_file) as archive:
        sheets, _shared = xlsx_stream._sheets(archive)
        if not 0 <= sheet < len(sheets):
            return facts
        for piece, _last in xlsx_stream._whole(archive, sheets[sheet][1], b">"):
            if facts.rows == 0 and (b"<cols" in piece or b":cols" in piece):
                for attrs in _COL_TAG_RE.findall(piece):
                    found = dict(_ATTR_RE.findall(attrs))
                    if found.get(b"hidden") in (b"1", b"true") and found.get(b"min", b"").isdigit():
                        first, last = int(found[b"min"]), int(found.get(b"max") or found[b"min"])
                        facts.hidden_columns.extend(range(first - 1, min(last, first + HIDDEN_MAX)))
            if _plain_rows(piece, facts):
                continue
            for attrs in _ROW_TAG_RE.findall(piece):
                facts.rows += 1
                if b"r=" in attrs or b"hidden" in attrs:
                    found = dict(_ATTR_RE.findall(attrs))
                    number = int(found[b"r"]) if found.get(b"r", b"").isdigit() else facts.last_row + 1
                    if found.get(b"hidden") in (b"1", b"true") and len(facts.hidden_rows) < HIDDEN_MAX:
                        facts.hidden_rows.append(number)
                    facts.last_row = number
                else:
                    facts.last_row += 1
    facts.hidden_columns = sorted(set(facts.hidden_columns))[:HIDDEN_MAX]
    return facts


_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Za-z]*\d*(?::[A-Za-z]*(\d+))?"')


def xlsx_dimension_rows(path_or_file, sheet: int) -> int:
    """The last row the worksheet's ``<dimension>`` claims (Excel, WPS and most writers give it before the
    data), or 0 when it names none: a quick estimate for a progress bar, never trusted for anything else."""
    try:
        with xlsx_stream._open(path_or_file) as archive:
            sheets, _shared = xlsx_stream._sheets(archive)
            if not 0 <= sheet < len(sheets):
                return 0
            with archive.open(sheets[sheet][1]) as stream:
                head = stream.read(64 * 1024)
    except (SpreadsheetError, OSError, ValueError, KeyError):
        return 0
    found = _DIMENSION_RE.search(head)
    return int(found.group(1)) if found and found.group(1) else 0


class SheetFactsLater:
    """``xlsx_sheet_facts`` of a file on local disk, computed in a thread beside the caller's work on the rows
    (its decompression leaves the interpreter free, and it fills the caller's waits for the next rows);
    :meth:`result` waits for it. A file it cannot read gives empty facts: reading the rows reports why.
    Made per import and dropped with it."""

    def __init__(self, path: str, sheet: int):
        self.estimate = xlsx_dimension_rows(path, sheet)
        self._facts: SheetFacts | None = None
        self._thread = threading.Thread(target=self._run, args=(path, sheet), name="sheet-facts", daemon=True)
        self._thread.start()

    def _run(self, path: str, sheet: int) -> None:
        try:
            self._facts = xlsx_sheet_facts(path, sheet)
        except Exception:  # the rows' reader reports a broken file, in the user's words
            self._facts = SheetFacts()

    def ready(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> SheetFacts:
        self._thread.join()
        return self._facts or SheetFacts()
