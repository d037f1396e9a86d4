"""The admin as county staff use it: the step page with errors beside the field, the worker's file, the
figures page; another county's household is missing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from hardship.models import HouseholdStatus
from hardship.services import cycle_approve, cycle_compute, cycle_create
from tests.hardship.factories import criteria, household, programme

pytestmark = pytest.mark.django_db


def test_the_steps_through_the_admin(regions, alice, client_for):
    criteria("140521", year=dt.date.today().year)
    home = household(status=HouseholdStatus.APPLIED, filed_on=None)
    client = client_for(alice)
    url = reverse("admin:hardship_household_step", args=[home.pk])
    response = client.post(url, {"step": "visit", "record": ""})
    assert response.status_code == 200 and "请写下入户走访的情况" in response.content.decode()
    assert client.post(url, {"step": "visit", "record": "走访属实"}).status_code == 302
    assert client.post(url, {"step": "review_pass", "record": "评议通过"}).status_code == 302
    response = client.post(url, {"step": "notice", "days": "3"})
    assert response.status_code == 200 and "公示期至少 5 天" in response.content.decode()
    assert client.post(url, {"step": "notice", "days": "7"}).status_code == 302
    home.refresh_from_db()
    assert home.status == HouseholdStatus.NOTICE and (home.notice_ends - home.notice_starts).days == 6
    page = client.get(url).content.decode()
    assert "王丽" not in page and "入户走访" in page


def test_another_countys_household_is_missing(regions, bob, client_for):
    home = household("140521")
    response = client_for(bob).get(reverse("admin:hardship_household_step", args=[home.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_the_workers_file_and_the_figures_page(regions, alice, client_for):
    home = household(head_name="张建国")
    cycle = cycle_create(
        programme=programme(), name="2026年第三季度", period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 9, 30)
    )
    assert cycle_approve(cycle=cycle_compute(cycle=cycle)).total == Decimal("300.00")
    client = client_for(alice)
    text = client.get(reverse("admin:hardship_household_file", args=[home.pk])).content.decode()
    assert "张建国" in text and "季度慰问" in text and "300.00" in text and home.resident_id not in text
    text = client.get(reverse("admin:hardship_household_figures"), {"year": 2026}).content.decode()
    assert "300.00" in text and "深度困难" in text


@pytest.mark.parametrize(
    "url",
    [
        "/admin/hardship/household/?waiting=yes",
        "/admin/hardship/household/?notice=ending",
        "/admin/hardship/household/?notice=ended&layer__exact=deep",
        "/admin/hardship/recheck/?recheck=overdue",
        "/admin/hardship/cycle/?status__exact=proposed",
    ],
)
def test_the_workbench_links_open_their_lists(regions, alice, client_for, url):
    household(status=HouseholdStatus.APPLIED, filed_on=None)
    response = client_for(alice).get(url)
    assert response.status_code == 200 and "?e=1" not in response.get("Location", "")
