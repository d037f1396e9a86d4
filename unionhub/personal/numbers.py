"""Personal numbers as values: what a resident ID or a mobile number typed any way is, and how it is masked.

One normaliser serves the admin's search (a term staff type: spaces, dashes, full-width digits, a lowercase
x, ``+86``), the log filter and messages about spreadsheet cells, so that anything the search would take for
an ID or a mobile number is also masked wherever it is written down. Pure functions: no user, no request."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from django.core.exceptions import ValidationError

from unionhub.validators import halfwidth, normalize_mobile, normalize_resident_id

RESIDENT_ID = "resident_id"
MOBILE = "mobile"
BANK_ACCOUNT = "bank_account"  # a payee's bank account (a station's payee, a hardship household): first and last four

# Fields that hold personal numbers, by name, wherever they are (history pages, exports, inlines).
PERSONAL_FIELDS = {"resident_id": RESIDENT_ID, "mobile": MOBILE, "bank_account": BANK_ACCOUNT}


def _mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    """``140521********123X`` style masking; short or empty values are masked whole."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end :]


_KEEP = {RESIDENT_ID: (6, 4), MOBILE: (3, 4), BANK_ACCOUNT: (4, 4)}
_SPACES = re.compile(r"[\s\-]+")


def mask(value: str | None, kind: str) -> str:
    """``140521********123X`` for an ID (the county of issue and the last four stay readable), ``138****5678``
    for a mobile number; empty stays empty."""
    keep_start, keep_end = _KEEP[kind]
    return _mask_middle(str(value or ""), keep_start, keep_end)


def mask_field(name: str, value: str | None) -> str | None:
    """``value`` masked if ``name`` is a personal-number field, else unchanged."""
    kind = PERSONAL_FIELDS.get(name)
    return value if kind is None else mask(value, kind)


# --- what a term is (the admin's search and the masking below share these) --------------------------------


def clean_term(term: str) -> str:
    """Full-width characters to half-width, spaces and dashes removed: how an identifier is stored."""
    return _SPACES.sub("", halfwidth(term or "")).strip()


def as_resident_id(term: str) -> str | None:
    """The stored form of a resident ID number typed any way (spaces, full-width digits, a lowercase x); an
    18-character term that fails the check is still taken for an ID (the search looks it up exactly and simply
    finds nothing; the masking masks it)."""
    code = clean_term(term).upper()
    if not re.fullmatch(r"\d{17}[\dX]", code):
        return None
    try:
        return normalize_resident_id(code)
    except ValidationError:
        return code


def as_mobile(term: str) -> str | None:
    """An 11-digit mainland mobile, typed with spaces, dashes, brackets, full-width digits or +86 / 0086 / 86."""
    try:
        return normalize_mobile(clean_term(term))
    except ValidationError:
        return None


def as_card_number(term: str) -> str | None:
    """A member card number: county code (6), year (4), sequence (6). Not a personal number: never masked."""
    code = clean_term(term)
    return code if re.fullmatch(r"\d{16}", code) else None


# What a caller reads out: the last four of a mobile or an ID ("尾号1813", "1813", "123x"), or the first digits of
# an ID (its county of issue and birth date: "140521199"). The search looks a tail up in both numbers.
TAIL_LENGTH = 4
ID_PREFIX_MIN, ID_PREFIX_MAX = 6, 17
_TAIL_WORDS = re.compile(r"^(?:手机)?(?:尾号|后四位|后4位|末四位|末4位)[:：]?")


def as_tail(term: str) -> str | None:
    """The last four characters of a mobile or an ID, typed alone or after 尾号 / 后四位 (an ID's may end in X)."""
    code = _TAIL_WORDS.sub("", clean_term(term)).upper()
    return code if re.fullmatch(r"\d{3}[\dX]", code) else None


def as_id_prefix(term: str) -> str | None:
    """The first 6 to 17 digits of a resident ID (a whole ID or mobile is recognised before this)."""
    code = clean_term(term)
    return code if re.fullmatch(r"\d{%d,%d}" % (ID_PREFIX_MIN, ID_PREFIX_MAX), code) else None


# --- personal numbers inside free text (log lines, messages about a cell) ---------------------------------

# A run of what a typed number can be made of: digits (ASCII or full-width), a final X, separators the search
# removes (spaces, dashes, brackets, plus signs), and percent-escapes (a URL in an access log: %20, +, and a
# full-width digit as %EF%BC%91). Letters, '=', '&', quotes and slashes end a run.
_RUN = re.compile(r"(?:[0-9０-９XxＸｘ\s\-－+＋()（）]|%[0-9A-Fa-f]{2})+")
_DIGIT = re.compile(r"[0-9０-９]")
_GROUP = re.compile(r"[^\s\-+()]+")  # after halfwidth(): the full-width separators are ASCII by then
_MIN_DIGITS = 11
_MAX_DIGITS = 15 + 3  # an ID (18); a mobile with 0086 (15)


def _masked_groups(decoded: str) -> str | None:
    """``decoded`` with every ID or mobile number made of consecutive groups masked, or None if there is none."""
    text = halfwidth(decoded)
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(text)]
    out, cursor, found, i = [], 0, False, 0
    while i < len(groups):
        for j in range(len(groups), i, -1):
            start, end = groups[i][0], groups[j - 1][1]
            digits = sum(groups[k][1] - groups[k][0] for k in range(i, j))
            if digits < _MIN_DIGITS or digits > _MAX_DIGITS:
                continue
            piece = text[start:end]
            if (code := as_resident_id(piece)) is not None:
                masked = mask(code, RESIDENT_ID)
            elif (code := as_mobile(piece)) is not None:
                masked = mask(code, MOBILE)
            else:
                continue
            out.append(text[cursor:start] + masked)
            cursor, found, i = end, True, j - 1
            break
        i += 1
    if not found:
        return None
    return "".join(out) + text[cursor:]


def _mask_run(match: re.Match) -> str:
    run = match.group(0)
    if len(_DIGIT.findall(run)) < _MIN_DIGITS and "%" not in run:
        return run
    decoded = unquote_plus(run) if "%" in run or "+" in run else run
    if len(_DIGIT.findall(decoded)) < _MIN_DIGITS:
        return run
    masked = _masked_groups(decoded)
    if masked is None and decoded is not run:
        masked = _masked_groups(run)  # a '+' that was a plus sign, not an escaped space
    return run if masked is None else masked


def mask_text(text: str) -> str:
    """Free text with every resident ID and mobile number the search would recognise masked: in any of the
    forms a search term takes (spaces, dashes, full-width digits, ``+86``), and URL-encoded as an access log
    writes a query string. Longer digit strings (card numbers, timestamps) stay whole."""
    if not text or (len(_DIGIT.findall(text)) < _MIN_DIGITS and "%" not in text):
        return text
    return _RUN.sub(_mask_run, text)


def mask_name(name: str) -> str:
    """A name as a public notice (公示) shows it: 张三 → 张*, 张三丰 → 张*丰, 欧阳小明 → 欧**明 - the family
    name and, from three characters, the last."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
