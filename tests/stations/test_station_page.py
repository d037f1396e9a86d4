"""The station page: the lifecycle steps at the top (整改, 摘牌, 恢复) through the services, refused with the
reason beside the field; the 六有 items in words where read-only; the bank account never printed in full;
the breadcrumbs naming the sidebar's group; an inspector's 评估 on each row of her list."""

import datetime as dt

import pytest
from django.urls import reverse

from stations.choices import LiuYou, StationKind, StationStatus
from stations.models import Rectification, Station
from tests.admin_forms import change_form_data
from tests.stations.factories import StationFactory, ensure_catalogues

ACCOUNT = "6222020602001234567"


@pytest.fixture(autouse=True)
def catalogues(db):
    ensure_catalogues()


@pytest.fixture
def station(dave):
    return StationFactory(managers=[dave], payee_name="某工会", payee_bank="工商银行沁水支行", bank_account=ACCOUNT)


def lifecycle(station, step):
    return reverse("admin:stations_station_lifecycle", args=[station.pk]) + f"?step={step}"


def test_county_staff_issue_a_rectification_notice_from_the_top_of_the_page(client_for, alice, station):
    client = client_for(alice)
    page = client.get(reverse("admin:stations_station_change", args=[station.pk])).content.decode()
    assert page.index('data-step="rectify"') < page.index('name="code"')  # above the form, not at its end
    refused = client.post(lifecycle(station, "rectify"), {"step": "rectify", "findings": "饮水机损坏", "deadline": ""})
    assert refused.status_code == 200 and "deadline" in refused.context["form"].errors
    assert not Rectification.objects.exists()
    deadline = dt.date.today() + dt.timedelta(days=15)
    done = client.post(
        lifecycle(station, "rectify"), {"step": "rectify", "findings": "饮水机损坏", "deadline": deadline}
    )
    assert done.status_code == 302
    station.refresh_from_db()
    assert station.status == StationStatus.RECTIFYING and station.rectifications.get().findings == "饮水机损坏"
    page = client.get(reverse("admin:stations_station_change", args=[station.pk])).content.decode()
    assert 'id="open-rectification"' in page and 'data-step="restore"' in page and 'data-step="rectify"' not in page
    back = client.post(lifecycle(station, "restore"), {"step": "restore", "reason": "复查合格"})
    station.refresh_from_db()
    assert back.status_code == 302 and station.status == StationStatus.OPERATING
    assert station.rectifications.get().closed_on == dt.date.today()


def test_delisting_needs_a_reason_and_other_counties_and_managers_cannot_step(client_for, alice, bob, dave, station):
    refused = client_for(alice).post(lifecycle(station, "delist"), {"step": "delist", "reason": ""})
    assert "reason" in refused.context["form"].errors
    assert Station.objects.get(pk=station.pk).status == StationStatus.OPERATING
    assert client_for(bob).post(lifecycle(station, "delist"), {"step": "delist", "reason": "x"}).status_code == 302
    assert client_for(dave).get(lifecycle(station, "delist")).status_code == 403
    assert Station.objects.get(pk=station.pk).status == StationStatus.OPERATING
    wrong = client_for(alice).get(lifecycle(station, "restore"))  # an operating station is not restored
    assert wrong.status_code == 302


@pytest.mark.parametrize("persona", ["alice", "carol", "dave", "erin"])
def test_the_page_reads_in_chinese_and_never_prints_the_account(client_for, people, persona, station):
    station.kind, station.liuyou = StationKind.LABOUR_RELATIONS, list(LiuYou.values)
    station.save()
    response = client_for(people[persona]).get(reverse("admin:stations_station_change", args=[station.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and ACCOUNT not in page and "6222***********4567" in page
    assert "Control" not in page and "Command" not in page
    assert "[&quot;platform&quot;" not in page and "有平台" in page  # never the stored list
    assert "站点与台账" in page.split('class="breadcrumbs"')[1][:400]


def test_an_empty_account_input_keeps_the_stored_number(client_for, alice, station):
    client = client_for(alice)
    url = reverse("admin:stations_station_change", args=[station.pk])
    data = change_form_data(client, url)
    assert data.get("bank_account", [""]) == [""]
    data.update({"phone": ["0356-7021234"]})
    assert client.post(url, data).status_code == 302
    assert Station.objects.get(pk=station.pk).bank_account == ACCOUNT


def test_the_inspector_has_evaluate_on_each_row_of_her_list(client_for, people, alice, station):
    listed = client_for(people["erin"]).get(reverse("admin:stations_station_changelist")).content.decode()
    assert reverse("admin:stations_evaluation_add") + f"?station={station.pk}" in listed
    assert "uh-evaluate" not in client_for(alice).get(reverse("admin:stations_station_changelist")).content.decode()
