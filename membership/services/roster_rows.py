"""The columns of a member roster and the checks of one row: the same rules as the online join form (ID
check character and birth date, mobile number, name), plus the spreadsheet's own troubles (IDs that Excel
turned into numbers, dates as Excel serials or text, full-width characters, synonyms for occupations and
statuses). Used by ``membership.services.roster``; pure Python, no database."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from membership.choices import MemberStatus, Occupation
from membership.services.roster_columns import (  # noqa: F401  (re-exported: the roster's columns)
    _FOOTER_RE,
    COLUMNS,
    DEFAULT_OCCUPATION,
    ERROR_HEADER,
    GENDER_SYNONYMS,
    IGNORED_COLUMNS,
    NUMBERS,
    OCCUPATION_SYNONYMS,
    REQUIRED,
    ROW_HEADER,
    SAMPLE_MARK,
    SAMPLE_RESIDENT_ID,
    STATUS_SYNONYMS,
    TEMPLATE_HEADERS,
    UNION_PROBLEMS,
)
from unionhub.personal import mask, mask_text  # a cell quoted back never shows a personal number
from unionhub.spreadsheets.formulas import FORMULA_TRIGGERS
from unionhub.spreadsheets.layout import column_letter, header_lookup, normalise_header
from unionhub.spreadsheets.reading import cell_text, parse_date
from unionhub.validators import (
    halfwidth,
    normalize_mobile,
    normalize_resident_id,
    resident_id_birth_date,
    validate_visible_text,
)

# Names of the invisible characters rosters carry most (pasted from web pages and chat apps).
_INVISIBLE_NAMES = {
    "\u200b": gettext_lazy("a zero-width space"),
    "\u200c": gettext_lazy("a zero-width non-joiner"),
    "\u200d": gettext_lazy("a zero-width joiner"),
    "\u2060": gettext_lazy("a word joiner"),
    "\ufeff": gettext_lazy("a zero-width no-break space (BOM)"),
    "\u200e": gettext_lazy("a left-to-right mark"),
    "\u200f": gettext_lazy("a right-to-left mark"),
    "\u00ad": gettext_lazy("a soft hyphen"),
    **dict.fromkeys("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", gettext_lazy("a text-direction control")),
}
# The middle dots of transliterated names (阿卜杜·热合曼) as people type them: one character in the register, so
# that a search or a duplicate check finds the name however it was typed. The text as read is kept in the
# member's history (the import's reason).
MIDDLE_DOT = "·"
_MIDDLE_DOTS_RE = re.compile(r"\s*[·•．・.‧∙⋅･]\s*")


def normalise_name(name: str) -> str:
    """A name with its middle dots (· • ． ・ . ‧) as the one ``MIDDLE_DOT`` and no spaces around them."""
    if not _MIDDLE_DOTS_RE.search(name):
        return name
    return _MIDDLE_DOTS_RE.sub(MIDDLE_DOT, name).strip(MIDDLE_DOT)


def _invisible(text: str) -> str:
    """A message naming the invisible or direction-changing character in ``text`` and where it is, else ""."""
    if text.isprintable():  # C speed; every character the validator refuses is also "not printable"
        return ""
    try:
        validate_visible_text(text)
    except ValidationError as exc:
        for position, char in enumerate(text, start=1):
            if unicodedata.category(char) in ("Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"):
                name = _INVISIBLE_NAMES.get(char) or unicodedata.name(char, "").lower() or _("an invisible character")
                return _(
                    "Character %(position)s is %(name)s (U+%(code)04X), which cannot be seen; delete it and type "
                    "the text again."
                ) % {"position": position, "name": name, "code": ord(char)}
        return exc.messages[0]
    return ""


_MONTH_RE = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")


def _month(raw) -> dt.date | None | bool:
    """A month-only cell (2023.05, 2023-5, 2023/05, 2023年5月, 202305) as the first of the month; False when it
    is not one (read as a date then); None when it cannot be told (2023.1: January, or October as a number)."""
    text = halfwidth(repr(raw) if isinstance(raw, float) else cell_text(raw))
    if re.match(r"^\d{4}\.1$", text):  # 2023.10 as a number reads 2023.1
        return None
    match = _MONTH_RE.match(text)
    if not match:
        return False
    year, month = int(match.group(1)), int(match.group(2) or match.group(3))
    if not 1 <= month <= 12:
        raise ValueError(_("“%(value)s” is not a month; write it like 2023-05.") % {"value": text})
    return dt.date(year, month, 1)


def _aliases() -> dict[str, list[str]]:
    return {field: [header, *others] for field, (header, others) in COLUMNS.items()} | IGNORED_COLUMNS


def _value_key(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).lower()


def _choice_lookup(choices, synonyms: dict) -> dict[str, str]:
    """Code, Chinese label (with and without its bracketed part), English label and synonyms -> code,
    compared after NFKC folding, without spaces and case."""
    lookup = {}
    for value, label in choices:
        lookup[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                key = _value_key(str(label))
                lookup[key] = value
                lookup[re.sub(r"\(.*?\)", "", key)] = value
    for text, value in synonyms.items():
        lookup[_value_key(text)] = value
    return lookup


def allowed_labels(choices) -> list[str]:
    """The labels a coded column accepts, in the current language (the template's lists)."""
    return [str(label) for _value, label in choices]


def _union_text(raw) -> str:
    return halfwidth(cell_text(raw))


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def row_is_blank(values: tuple) -> bool:
    """Every cell empty or spaces. Decided by the first cell for most rows (a name, a number)."""
    first = values[0] if values else None
    if first.__class__ is str:
        if first and not first.isspace():
            return False
    elif first is not None:
        return False
    return all(_is_blank(value) for value in values)


# --- Rows --------------------------------------------------------------------------------------------------


@dataclass
class RowCheck:
    """Validates one row in Python; built once per file (the lookups, the columns it has)."""

    fields: list[str | None]
    headers: list[str]
    today: dt.date
    default_union: str = ""

    def __post_init__(self):
        self.index = {field: i for i, field in enumerate(self.fields) if field and not field.startswith("_")}
        self.width = len(self.fields)
        # A missing column reads the None appended after the last one.
        self.at = {field: self.index.get(field, self.width) for field in COLUMNS}
        self.data_columns = sorted(self.index.values())
        self.occupations = _choice_lookup(Occupation.choices, OCCUPATION_SYNONYMS)
        self.statuses = _choice_lookup(MemberStatus.choices, STATUS_SYNONYMS)
        self.label = {field: str(self.headers[i]).strip() for field, i in self.index.items()}
        self.where = {field: f"{column_letter(i)}列（{self.label[field]}）" for field, i in self.index.items()}
        # 入会年月 with 2023.05: a month, taken as its first day. Only when the header says so.
        joined = normalise_header(self.label.get("join_date", ""))
        self.month_only = "年月" in joined and "年月日" not in joined
        # Unions, employers, occupations, dates and statuses repeat down a roster: each distinct cell value is
        # normalised once (the caches are bounded, see _cached).
        self.cache: dict[str, dict] = {field: {} for field in ("union", "occupation", "join_date", "status")}

    def _cached(self, field: str, raw, compute):
        cache = self.cache[field]
        try:
            return cache[raw]
        except KeyError:
            value = compute(raw)
            if len(cache) < 10_000:
                cache[raw] = value
            return value
        except TypeError:  # an unhashable value cannot come from a spreadsheet, but stay safe
            return compute(raw)

    def _occupation(self, raw):
        text = _value_key(cell_text(raw))
        return (self.occupations.get(text), True) if text else (None, False)

    def _status(self, raw):
        text = _value_key(cell_text(raw))
        return (self.statuses.get(text), True) if text else (None, False)

    def _join_date(self, raw):
        if raw is None or raw == "":
            return None, None
        try:
            joined = self.month_only and _month(raw)
            if joined is None:
                return None, _(
                    "“%(value)s” could be January or October: Excel dropped the 0 of a number like 2023.10. "
                    "Write the month as text, like 2023-01 or 2023-10."
                ) % {"value": cell_text(raw)}
            joined = joined or parse_date(raw if not isinstance(raw, str) else cell_text(raw))
        except ValueError as exc:
            return None, str(exc)
        if joined > self.today:
            return None, _("The join date is in the future.")
        if joined.year < 1925:
            return None, _("The join date is not possible.")
        return joined, None

    def skip_note(self, values: tuple) -> str | None:
        """Why a row that is not a member is skipped (the template's sample, a total, a signature, a note, the
        header again), or None for a member row. Blank rows never get here."""
        if len(values) <= self.width:
            values = (*values, *[None] * (self.width + 1 - len(values)))
        rid = cell_text(values[self.at["resident_id"]]).upper()
        if rid == SAMPLE_RESIDENT_ID:
            return _("The template's sample row: skipped, not imported.")
        # The common case, decided without reading every cell: only a text cell can hold the mark, and the
        # text cells joined hold it if any of them does (a mark made across two cells only takes the long way).
        if rid[:1].isdigit() and SAMPLE_MARK not in "".join([v for v in values if v.__class__ is str]):
            return None
        texts = [cell_text(v) for v in values[: self.width]]
        if any(t.startswith(SAMPLE_MARK) or f"（{SAMPLE_MARK}" in t for t in texts):
            return _("The template's sample row: skipped, not imported.")
        if rid and rid[:1].isdigit():
            return None
        filled = [t for i, t in enumerate(texts) if t and i in self.data_columns]
        if not filled:
            return _("Only bookkeeping columns (序号, 备注) are filled: skipped as a blank row.")
        if any(_FOOTER_RE.match(t.replace(" ", "")) for t in texts if t):
            return _("Not a member (a total, signature or note under the table): skipped.")
        if sum(1 for i, t in enumerate(texts) if t and normalise_header(t) in self.header_keys) >= 2:
            return _("The header row again: skipped.")
        if len(filled) == 1 and (len(filled[0]) > 12 or re.search("[：:。，]", filled[0])):
            return _("Not a member (a note under the table): skipped.")
        return None

    @property
    def header_keys(self) -> set[str]:
        if not hasattr(self, "_header_keys"):
            self._header_keys = set(header_lookup(_aliases()))
        return self._header_keys

    def check(self, values: tuple) -> tuple[dict, list]:
        """(normalised values, [[column, message], ...]) of one row. Run on every row of a roster, so the
        common case (text already clean) takes the short paths; anything else takes the general one."""
        errors: list = []
        out: dict = {}
        at = self.at
        if len(values) <= self.width:
            values = (*values, *[None] * (self.width + 1 - len(values)))

        def fail(field: str, message, value=None) -> None:
            """[column, message, the value as read (personal numbers masked), the column as the sheet shows it]."""
            shown = "" if value is None else cell_text(value)
            if field in NUMBERS and sum(ch.isdigit() for ch in shown) >= 11:  # shorter: no whole number
                shown = mask(shown, NUMBERS[field])
            shown = mask_text(shown)[:60]
            errors.append([self.label.get(field, COLUMNS[field][0]), str(message), shown, self.where.get(field, "")])

        # One rule for every way in (the join form, the admin form, the roster): a name is kept as text. Markup
        # or a leading "=" is shown escaped and neutralised in every export, not refused.
        raw = values[at["name"]]
        name = " ".join((raw if raw.__class__ is str else cell_text(raw)).split())
        if name[:1] in "'‘" and name[1:2] and name[1] in FORMULA_TRIGGERS:
            name = name[1:]  # our own export's neutralised formula-like text ('=…) reads back as it was
        as_read = name
        if not name.isascii():
            name = normalise_name(name)
        if not name:
            fail("name", _("Give the member's name."))
        elif len(name) > 50:
            fail("name", _("The name is longer than 50 characters."), raw)
        elif not name.isprintable() and _invisible(name):
            fail("name", _invisible(name), raw)
        out["name"] = name[:50]
        out["name_as_read"] = as_read[:50] if as_read != name else ""

        raw_id = values[at["resident_id"]]
        out["resident_id"], out["gender"], out["birth_date"] = "", "", None
        if _is_blank(raw_id):
            fail("resident_id", _("Give the member's resident ID number."))
        else:
            clean = raw_id.__class__ is str and len(raw_id) == 18 and raw_id.isascii() and raw_id[:17].isdigit()
            if clean:
                given = raw_id  # nothing to trim or to read as an old 15-digit number: 17 digits and one more
            elif isinstance(raw_id, int | float):
                given = raw_id
            else:
                given = cell_text(raw_id).lstrip("'`‘’")
            try:
                old = "" if clean else halfwidth(str(given)).strip().replace(" ", "")
                if len(old) == 15 and old.isdigit():
                    raise ValidationError(
                        _(
                            "This is a 15-digit ID number of the old format (issued before 1999), which the "
                            "register does not take: give the member's 18-character resident ID number."
                        )
                    )
                code = normalize_resident_id(given, today=self.today)
            except ValidationError as exc:
                fail("resident_id", exc.messages[0], raw_id)
            else:
                out["resident_id"] = code
                out["gender"] = "M" if code[16] in "13579" else "F"
                out["birth_date"] = resident_id_birth_date(code)

        gender = values[at["gender"]]
        if not _is_blank(gender):
            given = GENDER_SYNONYMS.get(_value_key(cell_text(gender)))
            if given is None:
                fail(
                    "gender",
                    _("“%(value)s” is not a gender; write 男 or 女.") % {"value": mask_text(cell_text(gender))},
                    gender,
                )
            elif out["gender"] and given != out["gender"]:
                fail(
                    "gender",
                    _("The gender does not match the ID number, which says %(gender)s; check both.")
                    % {"gender": "男" if out["gender"] == "M" else "女"},
                    gender,
                )

        mobile = values[at["mobile"]]
        out["mobile"] = None
        if not _is_blank(mobile):
            given = mobile if mobile.__class__ is int else cell_text(mobile).lstrip("'`‘’")  # a number cell as it is
            try:
                out["mobile"] = normalize_mobile(given)
            except ValidationError as exc:
                fail("mobile", exc.messages[0], mobile)

        cache = self.cache
        raw = values[at["union"]]
        union = cache["union"].get(raw)
        if union is None:
            union = self._cached("union", raw, _union_text)
        union = union or self.default_union
        out["union_text"] = union[:100]
        if len(union) > 100:
            fail("union", UNION_PROBLEMS["unknown"], union)

        employer = cell_text(values[at["employer"]])
        out["employer"] = employer or None
        if len(employer) > 100:
            fail("employer", _("At most 100 characters."), employer)

        raw = values[at["occupation"]]
        out["occupation"], given = cache["occupation"].get(raw) or self._cached("occupation", raw, self._occupation)
        if given and out["occupation"] is None:
            fail(
                "occupation",
                _("“%(value)s” is not an occupation this system knows; write one of: %(allowed)s.")
                % {
                    "value": mask_text(cell_text(values[at["occupation"]])),
                    "allowed": "、".join(allowed_labels(Occupation.choices)),
                },
                values[at["occupation"]],
            )

        raw = values[at["join_date"]]
        out["join_date"], problem = cache["join_date"].get(raw) or self._cached("join_date", raw, self._join_date)
        if problem:
            fail("join_date", problem, raw)
        out["card_year"] = (out["join_date"] or self.today).year

        raw = values[at["status"]]
        out["status"], given = cache["status"].get(raw) or self._cached("status", raw, self._status)
        if given and out["status"] is None:
            fail(
                "status",
                _("“%(value)s” is not a member status; write one of: %(allowed)s.")
                % {
                    "value": mask_text(cell_text(values[at["status"]])),
                    "allowed": "、".join(allowed_labels(MemberStatus.choices)),
                },
                values[at["status"]],
            )
        return out, errors
