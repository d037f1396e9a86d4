"""Validators and normalisers for Chinese identifiers: region codes, credit codes, resident IDs, mobiles.

Each ``normalize_*`` returns the canonical form or raises ``ValidationError`` with a Chinese-ready message.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Full-width ASCII (U+FF01..U+FF5E) to half-width, and the ideographic space to a plain one.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def halfwidth(value: str) -> str:
    """Full-width digits and letters, as typed on Chinese keyboards, to ASCII."""
    return value.translate(_FULLWIDTH)


# --- GB/T 2260 administrative division codes -------------------------------------------------------------

REGION_CODE_LENGTHS = {2: "province", 4: "city", 6: "county", 9: "town"}
_REGION_CODE_RE = re.compile(r"^\d+$")


def validate_region_code(value: str) -> None:
    if not _REGION_CODE_RE.match(value or "") or len(value) not in REGION_CODE_LENGTHS:
        raise ValidationError(
            _("An administrative division code has 2, 4, 6 or 9 digits (province, city, county, town)."),
            code="region_code",
        )


# --- GB 32100-2015 unified social credit code ------------------------------------------------------------

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_ALPHABET.index(ch) * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    """An 18-character unified social credit code, upper-cased, with its check character verified."""
    code = halfwidth(value or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="credit_code_length")
    bad = sorted({ch for ch in code if ch not in _CREDIT_ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain %(chars)s (the letters I, O, Z, S and V are not used).")
            % {"chars": "".join(bad)},
            code="credit_code_chars",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong; please check the code."),
            code="credit_code_check",
        )
    return code


def validate_credit_code(value: str) -> None:
    normalize_credit_code(value)


# --- GB 11643-1999 resident identity number --------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SCIENTIFIC_RE = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


_ASCII_DIGITS = frozenset("0123456789")


def resident_id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of 17 digits.

    The weights are 2^17 … 2^1 modulo 11 (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, …). Since 13 ≡ 2 (mod 11), reading
    the digits as a base-13 number gives sum(digit × 2^(16 - position)) modulo 11 with one C call, and the
    weighted sum is twice that: a roster import checks a hundred thousand numbers."""
    if len(first17) != 17 or not _ASCII_DIGITS.issuperset(first17):
        raise ValueError("17 digits expected")
    return _check_char(first17)


def _check_char(digits: str) -> str:
    """``resident_id_check_char`` of 17 ASCII digits already verified as such."""
    return _ID_CHECK[2 * int(digits, 13) % 11]


@functools.lru_cache(maxsize=1 << 16)
def _birth_date(yyyymmdd: str) -> dt.date | None:
    """The date of eight ASCII digits (an ID number's birth date), or None when no such day exists. Cached: a
    roster of a hundred thousand people holds a few thousand birth dates, each read twice (checked, then kept)."""
    try:
        return dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None


def _check_birth_date(code: str, today: dt.date | None) -> None:
    """The birth date inside an ID number: a real date, not in the future, not before 1900."""
    birth = _birth_date(code[6:14])
    if birth is None:
        raise ValidationError(_("The birth date inside this ID number does not exist."), code="id_birth")
    if birth.year < 1900 or birth > (today or dt.date.today()):
        raise ValidationError(_("The birth date inside this ID number is not possible."), code="id_birth")


def normalize_resident_id(value: str, *, today: dt.date | None = None) -> str:
    """A resident ID number: full-width digits and a lowercase x accepted; the check character and the
    birth date (a real date, not in the future, not before 1900) verified."""
    if (
        value.__class__ is str
        and len(value) == 18
        and value.isascii()
        and value[:17].isdigit()
        and (value[17] in "0123456789X")
        and _check_char(value[:17]) == value[17]
    ):
        # The common case (a roster's text column, a form already cleaned): 18 ASCII characters with a
        # matching check character; only the birth date is left to verify.
        _check_birth_date(value, today)
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A spreadsheet cell holding a number: 18 digits do not fit a spreadsheet number (15 significant
        # digits), so the last ones are already lost.
        value = f"{value:.14E}" if isinstance(value, float) or abs(value) >= 10**15 else str(value)
    raw = halfwidth(str(value or "")).strip().replace(" ", "")
    if _SCIENTIFIC_RE.match(raw):
        raise ValidationError(
            _(
                "This ID number was turned into a number by the spreadsheet (%(value)s). Format the column as "
                "text and type the 18 characters again."
            )
            % {"value": raw[:7] + "…" + raw[raw.upper().index("E") :]},  # not the 15 digits a number keeps
            code="id_scientific",
        )
    code = raw.upper()
    if len(code) != 18 or not code[:17].isdigit() or not (code[17].isdigit() or code[17] == "X"):
        raise ValidationError(_("A resident ID number has 17 digits followed by a digit or X."), code="id_format")
    _check_birth_date(code, today)
    if resident_id_check_char(code[:17]) != code[17]:
        if code.endswith("000"):
            # 140521199001011000: a spreadsheet stored the number and zeroed what it could not hold.
            raise ValidationError(
                _(
                    "This ID number ends in 000 and its last character does not match: the spreadsheet probably "
                    "turned it into a number and replaced the last digits with zeros. Format the column as text "
                    "and type the 18 characters again."
                ),
                code="id_zeroed",
            )
        raise ValidationError(
            _("The last character of this ID number does not match; please check the number."), code="id_check"
        )
    return code


def resident_id_birth_date(code: str) -> dt.date:
    """The birth date inside a checked ID number (each date parsed once: ``_birth_date``)."""
    birth = _birth_date(code[6:14])
    if birth is None:  # the digits stay out of the message: it may reach a log, and they are part of an ID
        raise ValueError("the ID number's birth date is not a real day")
    return birth


def resident_id_gender(code: str) -> str:
    """'M' or 'F' from the sequence digit (odd is male)."""
    return "M" if int(code[16]) % 2 else "F"


# --- Mainland mobile numbers -----------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_MOBILE_NOISE_RE = re.compile(r"[\s\-()]")


def normalize_mobile(value: str | int) -> str:
    """An 11-digit mainland mobile number; +86/0086 prefixes, spaces, dashes and full-width digits removed."""
    if value.__class__ is str and len(value) == 11 and value.isascii() and _MOBILE_RE.match(value):
        return value  # already clean: the common case of a roster column
    if value.__class__ is int and 13_000_000_000 <= value <= 19_999_999_999:
        return str(value)  # a spreadsheet's number cell (as Excel keeps typed mobiles): 1[3-9] and nine digits
    digits = _MOBILE_NOISE_RE.sub("", halfwidth(str(value or "")))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            digits = digits[len(prefix) :]
            break
    if not _MOBILE_RE.match(digits):
        raise ValidationError(_("Please enter an 11-digit mobile number starting with 1."), code="mobile")
    return digits


# Unicode categories never part of a name: format characters (zero-width spaces and joiners, bidi overrides
# and isolates, the BOM), control characters, private-use, surrogates and unassigned code points, and line
# or paragraph separators. They make two names look alike, or reorder what the reviewer reads.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"}


def validate_visible_text(value: str) -> None:
    """Refuse invisible and direction-changing characters (the join form, the admin forms, roster imports)."""
    import unicodedata

    if any(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in value or ""):
        raise ValidationError(
            _(
                "This contains invisible or text-direction characters (such as a zero-width space); "
                "please type it again."
            ),
            code="invisible",
        )
