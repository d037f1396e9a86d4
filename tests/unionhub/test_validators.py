import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from unionhub.validators import (
    credit_code_check_char,
    normalize_credit_code,
    normalize_mobile,
    normalize_resident_id,
    resident_id_birth_date,
    resident_id_check_char,
    resident_id_gender,
    validate_region_code,
)


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "91110000600037341L", "914403001922038216", "91310000775785552L"]
)
def test_it_accepts_real_credit_codes(code):
    assert normalize_credit_code(code) == code


def test_it_normalises_credit_codes_typed_in_lower_case_and_full_width():
    assert normalize_credit_code(" ９１１１００００６０００３７３４１l ") == "91110000600037341L"


@pytest.mark.parametrize(
    "code,error",
    [
        ("91110000600037341X", "credit_code_check"),
        ("9111000060003734", "credit_code_length"),
        ("91110000600O37341L", "credit_code_chars"),
    ],
)
def test_it_refuses_bad_credit_codes(code, error):
    with pytest.raises(ValidationError) as exc:
        normalize_credit_code(code)
    assert exc.value.code == error


def test_the_credit_check_character_is_computed_mod_31():
    assert credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("code", ["14", "1405", "140521", "140521104"])
def test_it_accepts_region_codes_of_each_level(code):
    validate_region_code(code)


@pytest.mark.parametrize("code", ["1", "140", "14052", "1405211", "14052110x", ""])
def test_it_refuses_region_codes_of_other_lengths(code):
    with pytest.raises(ValidationError):
        validate_region_code(code)


def test_it_accepts_the_standard_id_vector_and_derives_birth_and_gender():
    code = normalize_resident_id("11010519491231002x")
    assert code == "11010519491231002X"
    assert resident_id_birth_date(code) == dt.date(1949, 12, 31)
    assert resident_id_gender(code) == "F"


def test_it_accepts_full_width_digits():
    assert normalize_resident_id("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"


@pytest.mark.parametrize(
    "value,code",
    [
        ("110105194912310021", "id_check"),
        ("110105194902300021", "id_birth"),  # 30 February
        ("110105208801010011", "id_birth"),  # in the future
        ("1.40521199001011E+17", "id_scientific"),
        ("11010519491231002", "id_format"),
    ],
)
def test_it_refuses_bad_id_numbers(value, code):
    with pytest.raises(ValidationError) as exc:
        normalize_resident_id(value)
    assert exc.value.code == code


def test_the_id_check_character_matches_the_weighted_sum_of_gb_11643():
    # The reader computes it by reading the digits in base 13; the standard's weighted sum, for comparison.
    import random

    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    draw = random.Random(11643)
    for _ in range(2000):
        digits = "".join(draw.choice("0123456789") for _ in range(17))
        expected = "10X98765432"[sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11]
        assert resident_id_check_char(digits) == expected
    for bad in ("1101051949123100", "1101051949123100a", "１１０１０５１９４９１２３１００２", "11010519491231002 "):
        with pytest.raises(ValueError):
            resident_id_check_char(bad)


def test_a_clean_id_with_a_right_check_character_still_has_its_birth_date_checked():
    future = "11010520880101001"
    with pytest.raises(ValidationError) as exc:
        normalize_resident_id(future + resident_id_check_char(future), today=dt.date(2026, 12, 1))
    assert exc.value.code == "id_birth"
    impossible = "11010518890101001"  # before 1900
    with pytest.raises(ValidationError) as exc:
        normalize_resident_id(impossible + resident_id_check_char(impossible))
    assert exc.value.code == "id_birth"
    february = "11010519490230002"
    with pytest.raises(ValidationError) as exc:
        normalize_resident_id(february + resident_id_check_char(february))
    assert exc.value.code == "id_birth"


@pytest.mark.parametrize(
    "value", ["13800138000", "+86 138-0013-8000", "0086 13800138000", "138 0013 8000", "１３８００１３８０００"]
)
def test_it_normalises_mobile_numbers(value):
    assert normalize_mobile(value) == "13800138000"


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "010-12345678"])
def test_it_refuses_what_is_not_a_mobile_number(value):
    with pytest.raises(ValidationError):
        normalize_mobile(value)
