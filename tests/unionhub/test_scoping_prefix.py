"""A region code's prefix is asked as a range (``unionhub.scoping.starting_with``): the range holds exactly the
codes that start with it - province, city, county, town, and a prefix of nines with no code after it - and the
SQL asks a range, which a plain index serves, not ``LIKE``."""

from __future__ import annotations

import pytest

from unionhub.models import Region
from unionhub.scoping import starting_with

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["1", "14", "1405", "140521", "140521104", "1499", "9", "99"])
def test_the_range_holds_exactly_the_codes_starting_with_the_prefix(regions, prefix):
    for code, level in (("99", "province"), ("9901", "city"), ("990101", "county")):  # codes of nines at the end
        Region.objects.get_or_create(code=code, defaults={"name": f"测试{code}", "level": level})
    codes = list(Region.objects.values_list("code", flat=True))
    found = set(Region.objects.filter(starting_with("code", prefix)).values_list("code", flat=True))
    assert found == {code for code in codes if code.startswith(prefix)}


def test_it_asks_a_range_not_like():
    sql = str(Region.objects.filter(starting_with("code", "1405")).query)
    assert '"code" >= 1405' in sql and '"code" < 1406' in sql and "LIKE" not in sql.upper()
