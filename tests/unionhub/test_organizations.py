"""Regions and union organisations as county staff edit them."""

import pytest
from django.urls import reverse

from tests.admin_forms import change_form_data
from tests.factories import JIAFENG, UnionOrganizationFactory
from unionhub.models import Region, UnionOrganization
from unionhub.services import regions_load


def test_loading_regions_twice_changes_nothing_the_second_time(regions):
    assert regions_load() == 0
    assert Region.objects.get(code="140521104").full_name == "沁水县嘉峰镇"
    assert Region.objects.get(code="140521").parent.name == "晋城市"


def test_an_invalid_credit_code_gets_a_chinese_message_and_nothing_is_saved(alice, client_for):
    client = client_for(alice)
    response = client.post(
        reverse("admin:unionhub_unionorganization_add"),
        {
            "name": "沁水县测试煤业有限公司工会",
            "kind": "grassroots",
            "region": JIAFENG,
            "credit_code": "91110000600037341X",
        },
    )
    assert response.status_code == 200
    assert "校验码" in response.content.decode()
    assert not UnionOrganization.objects.filter(name="沁水县测试煤业有限公司工会").exists()


def test_county_staff_register_a_grassroots_union_in_their_county(alice, client_for):
    client = client_for(alice)
    response = client.post(
        reverse("admin:unionhub_unionorganization_add"),
        {
            "name": "沁水县测试煤业有限公司工会",
            "kind": "grassroots",
            "region": JIAFENG,
            "credit_code": "91110000600037341l",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org = UnionOrganization.objects.get(name="沁水县测试煤业有限公司工会")
    assert org.credit_code == "91110000600037341L"
    assert org.history.first().history_user == alice


def test_an_invalid_region_code_gets_a_chinese_message(root, client_for):
    response = client_for(root).post(reverse("admin:unionhub_region_add"), {"code": "14052", "name": "错误"})
    assert response.status_code == 200
    assert "行政区划代码" in response.content.decode()
    assert not Region.objects.filter(code="14052").exists()


@pytest.mark.parametrize("kind", ["grassroots"])
def test_a_grassroots_union_needs_a_credit_code(alice, client_for, kind):
    data = {"name": "无代码工会", "kind": kind, "region": JIAFENG, "credit_code": ""}
    response = client_for(alice).post(reverse("admin:unionhub_unionorganization_add"), data)
    assert response.status_code == 200
    assert not UnionOrganization.objects.filter(name="无代码工会").exists()


def test_changes_are_in_the_audit_trail_visible_in_the_admin(alice, client_for):
    org = UnionOrganizationFactory()
    client = client_for(alice)
    url = reverse("admin:unionhub_unionorganization_change", args=[org.pk])
    data = change_form_data(client, url)
    data["chair"] = ["王主席"]
    assert client.post(url, data).status_code == 302
    history = client.get(reverse("admin:unionhub_unionorganization_history", args=[org.pk]))
    assert history.status_code == 200
    assert str(alice) in history.content.decode()  # the person (name and unit), not the login
