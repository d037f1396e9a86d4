"""The area filter (``unionhub.admin.areas``): city and province staff narrow a list to a city or a county, one
level at a time, within their own region; the list's export reads the same rows (``unionhub.lists``)."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from membership.selectors.lists import member_list
from tests.factories import JINCHENG, QINSHUI, YANGCHENG, UnionOrganizationFactory, UserFactory
from tests.membership.factories import MemberFactory, union_in
from unionhub.admin.base import ScopedAdminMixin
from unionhub.models import Role
from unionhub.scoping import has_area

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:membership_member_changelist")
LUZHOU = "140403"  # 长治市潞州区: another city's county


@pytest.fixture
def members(regions):
    return {
        "qinshui": MemberFactory(union=union_in(QINSHUI), name="沁水会员"),
        "yangcheng": MemberFactory(union=union_in(YANGCHENG), name="阳城会员"),
        "luzhou": MemberFactory(union=UnionOrganizationFactory(region_id=LUZHOU), name="潞州会员"),
    }


@pytest.fixture
def province(regions):
    return UserFactory(username="shanxi", role=Role.REGIONAL_STAFF, region="14")


def area_links(response) -> list[tuple[str, bool]]:
    """The area filter's links as (label, selected), or [] when the sidebar has no area filter."""
    for spec in response.context["cl"].filter_specs:
        if getattr(spec, "parameter_name", None) == "area":
            return [(str(c["display"]), c["selected"]) for c in spec.choices(response.context["cl"])]
    return []


def listed(response) -> list[str]:
    return sorted(response.context["cl"].result_list.values_list("name", flat=True))


def test_province_staff_see_cities_then_open_one_to_its_counties(client_for, province, members):
    client = client_for(province)
    response = client.get(MEMBERS)
    links = area_links(response)
    assert links[0] == ("全部", True)
    labels = [label for label, _ in links[1:]]
    assert "晋城市" in labels and "长治市" in labels and "太原市" in labels
    assert not any("县" in label or "区" in label for label in labels), labels  # no county until a city is chosen
    assert listed(response) == ["沁水会员", "潞州会员", "阳城会员"]

    response = client.get(MEMBERS, {"area": JINCHENG})
    assert response.status_code == 200
    links = dict(area_links(response))
    assert links["晋城市"] is True and links["\u3000沁水县"] is False and links["\u3000阳城县"] is False
    assert "\u3000潞州区" not in links  # another city's counties stay closed
    assert listed(response) == ["沁水会员", "阳城会员"]

    response = client.get(MEMBERS, {"area": QINSHUI})
    links = dict(area_links(response))
    assert links["\u3000沁水县"] is True and "\u3000阳城县" in links and links["晋城市"] is False
    assert listed(response) == ["沁水会员"]


def test_the_counts_staff_may_ask_for_are_the_areas_rows(client_for, province, members):
    links = dict(area_links(client_for(province).get(MEMBERS, {"area": JINCHENG, "_facets": "True"})))
    assert links["晋城市 (2)"] is True and links["\u3000沁水县 (1)"] is False and links["长治市 (1)"] is False


def test_city_staff_see_their_counties_only(client_for, carol, members):
    client = client_for(carol)
    response = client.get(MEMBERS)
    labels = [label for label, _ in area_links(response)]
    assert labels[0] == "全部" and "沁水县" in labels and "阳城县" in labels
    assert "长治市" not in labels and "潞州区" not in labels and "晋城市" not in labels
    assert listed(client.get(MEMBERS, {"area": YANGCHENG})) == ["阳城会员"]


@pytest.mark.parametrize("area", [LUZHOU, "1404", "14", "abc", "1405211", ""])
def test_an_area_outside_the_users_region_or_malformed_is_refused_not_widened(client_for, carol, members, area):
    response = client_for(carol).get(MEMBERS, {"area": area})
    if area == "":
        assert response.status_code == 200 and listed(response) == ["沁水会员", "阳城会员"]
        return
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_county_staff_have_no_area_to_choose(client_for, alice, members):
    response = client_for(alice).get(MEMBERS)
    assert response.status_code == 200 and area_links(response) == []
    assert client_for(alice).get(MEMBERS, {"area": YANGCHENG}).status_code == 302


def test_the_export_reads_the_area_the_list_shows(carol, province, members):
    assert list(member_list(user=carol, filters={"area": QINSHUI}).values_list("name", flat=True)) == ["沁水会员"]
    assert sorted(member_list(user=province, filters={"area": JINCHENG}).values_list("name", flat=True)) == [
        "沁水会员",
        "阳城会员",
    ]
    # Narrowing never widens: city staff asking for another city read nothing of it.
    assert not member_list(user=carol, filters={"area": "1404"}).exists()
    with pytest.raises(ValidationError):
        member_list(user=carol, filters={"area": "沁水"})


def _region_lists():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedAdminMixin) and has_area(model)
    ]


REGION_LISTS = _region_lists()


@pytest.mark.parametrize("model,model_admin", REGION_LISTS, ids=[m._meta.label for m, _ in REGION_LISTS])
def test_every_list_of_rows_in_a_region_takes_the_area(client_for, people, model, model_admin):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for who in ("carol", "root"):
        response = client_for(people[who]).get(url, {"area": QINSHUI})
        if response.status_code == 403:
            continue  # a list this persona may not open at all
        assert response.status_code == 200, (who, url, response.get("Location"))
        assert any(getattr(spec, "parameter_name", None) == "area" for spec in response.context["cl"].filter_specs)
