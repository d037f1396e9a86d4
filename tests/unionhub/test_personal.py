"""The one personal-data module: masking by kind, the search's normaliser, and free text masked in every form
the search recognises (spaces, dashes, brackets, full-width digits, +86 / 86 / 0086, URL-encoded)."""

from __future__ import annotations

import random
import re
from urllib.parse import quote, quote_plus, unquote_plus

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from unionhub.personal import (
    MOBILE,
    RESIDENT_ID,
    PersonalData,
    as_mobile,
    as_resident_id,
    mask,
    mask_field,
    mask_text,
)
from unionhub.personal import access as personal_access
from unionhub.validators import halfwidth

RID = "140521199005170158"
RID_X = "14052119900517003X"
MOBILE_NUMBER = "13912345678"
FULL = [RID, RID_X, MOBILE_NUMBER]
FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def _split(number: str, rng: random.Random, separators: str) -> str:
    out = []
    for index, char in enumerate(number):
        if index and rng.random() < 0.25:
            out.append(rng.choice(separators))
        out.append(char)
    return "".join(out)


def search_forms() -> list[str]:
    """Every way a number is typed that the admin search takes for an ID or a mobile (checked below)."""
    forms = []
    for rid in (RID, RID_X):
        forms += [
            rid,
            rid.lower(),
            f"{rid[:6]} {rid[6:14]} {rid[14:]}",
            f"{rid[:6]}-{rid[6:14]}-{rid[14:]}",
            f"{rid[:6]}\n-{rid[6:]}",
            rid.translate(FULLWIDTH),
            rid[0].translate(FULLWIDTH) + rid[1:],
            f"{rid[:6]}\u3000{rid[6:]}",
        ]
    m = MOBILE_NUMBER
    forms += [
        m,
        f"+86{m}",
        f"+86 {m}",
        f"86{m}",
        f"0086{m}",
        f"+86-{m[:3]}-{m[3:7]}-{m[7:]}",
        f"{m[:3]} {m[3:7]} {m[7:]}",
        f"{m[:3]}-{m[3:7]}-{m[7:]}",
        m.translate(FULLWIDTH),
        m[0].translate(FULLWIDTH) + m[1:],
        f"＋86 {m}",
    ]
    rng = random.Random(20261204)
    for _ in range(40):
        forms.append(_split(rng.choice([RID, RID_X]), rng, " -"))
        forms.append(_split(MOBILE_NUMBER, rng, " -"))
    return forms


def full_numbers_in(text: str) -> list[str]:
    """The full numbers still readable in ``text`` once its escapes, full-width digits and separators go."""
    plain = re.sub(r"[\s\-+()]", "", halfwidth(unquote_plus(text))).upper()
    return [number for number in FULL if number in plain]


def test_mask_by_kind_keeps_the_ends():
    assert mask("14052119900101123X", RESIDENT_ID) == "140521********123X"
    assert mask("13800138000", MOBILE) == "138****8000"
    assert mask("123", MOBILE) == "***"
    assert mask(None, MOBILE) == ""
    assert mask_field("mobile", "13800138000") == "138****8000"
    assert mask_field("name", "张三") == "张三"


def test_every_search_form_is_recognised_by_the_search():
    for form in search_forms():
        assert as_resident_id(form) or as_mobile(form), form


@pytest.mark.parametrize(
    "encode",
    [lambda t: t, quote_plus, quote, lambda t: f"GET /admin/membership/member/?q={quote_plus(t)} HTTP/1.1"],
    ids=["plain", "quote_plus", "quote", "access-log"],
)
def test_every_search_form_is_masked_in_free_text(encode):
    for form in search_forms():
        line = f"user 7 searched “{encode(form)}” at 2026-12-04 22:37:29 card 1405212026000001"
        masked = mask_text(line)
        assert not full_numbers_in(masked), (form, masked)
        assert "1405212026000001" in masked and "2026-12-04 22:37:29" in masked, masked


def test_several_numbers_in_one_line_and_other_numbers_whole():
    line = f"ids {RID},{RID_X} mobiles {MOBILE_NUMBER} 12 {MOBILE_NUMBER} ts 1767225600123 n=42"
    masked = mask_text(line)
    assert not full_numbers_in(masked.replace(",", " ")), masked
    assert "1767225600123" in masked and "n=42" in masked


def test_a_reveal_checks_the_permission_and_is_logged(monkeypatch):
    class User:
        is_active = True

        def __init__(self, may):
            self.may = may

        def has_perm(self, perm):
            return self.may and perm == "membership.reveal_personal_data"

    class Person:
        resident_id, mobile, name = RID, MOBILE_NUMBER, "张三"

    written = []
    monkeypatch.setattr(personal_access, "_reveal_log", lambda **kwargs: written.append(kwargs))
    with pytest.raises(PermissionDenied):
        PersonalData(User(False)).reveal(Person())
    assert written == []
    assert PersonalData(User(True)).reveal(Person()) == {"resident_id": RID, "mobile": MOBILE_NUMBER}
    assert written[0]["fields"] == ["resident_id", "mobile"]
    assert PersonalData(User(False)).text(f"性别“{RID}”") == "性别“140521********0158”"
    assert PersonalData(User(True)).text(f"性别“{RID}”") == f"性别“{RID}”"


def test_a_reveal_fails_closed_without_a_log(monkeypatch):
    class User:
        is_active = True

        def has_perm(self, perm):
            return True

    monkeypatch.setattr(personal_access, "_reveal_log", None)
    with pytest.raises(ImproperlyConfigured):
        PersonalData(User()).reveal(type("P", (), {"mobile": MOBILE_NUMBER})())


def test_no_module_but_the_personal_one_masks_numbers_or_writes_spreadsheets_itself():
    """One mechanism per concern: masking only in unionhub/personal, spreadsheet writing only in the writer."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    own = {
        "masking": ({"unionhub/personal/numbers.py"}, re.compile(r"""["']\*["']\s*\*|\*\*\*\*["'{]|mask_middle""")),
        "writing": ({"unionhub/spreadsheets/writing.py"}, re.compile(r"csv\.writer|Workbook\(")),
    }
    found = []
    for app in ("unionhub", "stations", "membership", "casework", "dashboard"):
        for path in (root / app).rglob("*.py"):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative:
                continue
            text = path.read_text(encoding="utf-8")
            for concern, (owners, pattern) in own.items():
                if relative not in owners and pattern.search(text):
                    found.append((concern, relative))
    assert not found, found
