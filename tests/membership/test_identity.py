"""Resident ID numbers (GB 11643, ISO 7064 MOD 11-2) and mobile numbers, as the join form takes them."""

import datetime as dt

import pytest

from membership.forms import JoinForm
from membership.models import MembershipApplication
from membership.services import application_submit
from unionhub.validators import resident_id_check_char


def with_check(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def join_form(**overrides):
    data = {
        "name": "张伟",
        "resident_id": "11010519491231002X",
        "mobile": "13912345678",
        "occupation": "truck_driver",
        "employer": "",
        "county": "140521",
        "consent": "on",
    } | overrides
    return JoinForm(data, counties={"140521": "沁水县"})


@pytest.mark.parametrize(
    "typed,normalised",
    [
        ("11010519491231002X", "11010519491231002X"),  # the standard's own example
        ("11010519491231002x", "11010519491231002X"),  # lowercase x
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width, as typed on a Chinese keyboard
        (" 110105 19491231 002X ", "11010519491231002X"),  # spaces
        (with_check("44052419800101001"), with_check("44052419800101001")),  # a man born 1980 in Guangdong
        (with_check("14052120000229123"), with_check("14052120000229123")),  # 29 February of a leap year
    ],
)
def test_it_accepts_valid_id_numbers_in_the_forms_people_type_them(db, typed, normalised):
    form = join_form(resident_id=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["resident_id"] == normalised


@pytest.mark.parametrize(
    "typed,code",
    [
        ("110105194912310021", "id_check"),  # the standard's example with a wrong check character
        ("11010519491231002Y", "id_format"),
        ("1101051949123100", "id_format"),  # too short
        ("1101051949123100211", "id_format"),  # too long
        (with_check("14052119990229123"), "id_birth"),  # 29 February of a common year
        (with_check("14052119901301123"), "id_birth"),  # month 13
        (with_check("14052120990101123"), "id_birth"),  # born in the future
        (with_check("14052118900101123"), "id_birth"),  # before 1900
        ("1.10105E+17", "id_scientific"),  # what a spreadsheet makes of it
    ],
)
def test_it_refuses_invalid_id_numbers_with_the_reason(db, typed, code):
    form = join_form(resident_id=typed)
    assert not form.is_valid()
    assert form.errors.as_data()["resident_id"][0].code == code


def test_gender_and_birth_date_come_from_the_id_number_not_from_the_worker(db):
    woman = application_submit(
        name="张丽",
        resident_id="11010519491231002x",
        mobile="13912345678",
        occupation="courier",
        consent_version="2026-01",
    )
    man = application_submit(
        name="陈强",
        resident_id=with_check("44052419800101001"),
        mobile="13912345679",
        occupation="courier",
        consent_version="v",
    )
    assert (woman.gender, woman.birth_date) == ("F", dt.date(1949, 12, 31))
    assert (man.gender, man.birth_date) == ("M", dt.date(1980, 1, 1))
    assert MembershipApplication.objects.get(pk=woman.pk).resident_id == "11010519491231002X"
    assert "gender" not in join_form().fields and "birth_date" not in join_form().fields


@pytest.mark.parametrize(
    "typed",
    [
        "13912345678",
        "+86 139 1234 5678",
        "+86-139-1234-5678",
        "0086 13912345678",
        "8613912345678",
        "１３９１２３４５６７８",
    ],
)
def test_it_normalises_mobile_numbers(db, typed):
    form = join_form(mobile=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["mobile"] == "13912345678"


@pytest.mark.parametrize("typed", ["12912345678", "1391234567", "139123456789", "0356-7012345", "phone"])
def test_it_refuses_what_is_not_a_mainland_mobile_number(db, typed):
    form = join_form(mobile=typed)
    assert not form.is_valid()
    assert "mobile" in form.errors
