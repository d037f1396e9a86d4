"""A calendar that never lies: across 2026-12-28 → 2027 with no 2027 data the clock estimates, marks every
date counted across 2027 as provisional and warns staff from 1 December; loading a 2027 calendar (national, or
by the city for every county below it) recalculates every open provisional due date and records that it did.

The holidays package (chinese-calendar 1.11.0) covers 2004-2026; ``package_covers_2026`` pins that, so these
dates stay hand-computed whatever a later release of the package learns about 2027. The 2027 file below is a
test calendar (元旦 on Friday 1 January, Monday 4 January off, Saturday 9 January worked), not the State
Council's."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from casework.choices import EventKind
from casework.models import CalendarYear, RequestEvent, WorkerRequest
from casework.selectors import clock
from casework.selectors.clock import calendar_year_known, work_calendar
from casework.selectors.timeline import request_now
from casework.services.calendar import calendar_import
from casework.services.handling import request_accept, request_forward
from casework.services.sweep import casework_sweep
from dashboard.selectors.workbench import workbench_items
from tests.casework.factories import at, file_request, handler_for
from tests.factories import JINCHENG, QINSHUI, YANGCHENG
from unionhub.models import Region

D = dt.date.fromisoformat
TEST_2027 = "日期,类型,名称\n2027-01-01,休息日,元旦\n2027-01-04,休息日,元旦\n2027-01-09,调休上班日,元旦\n".encode()


@pytest.fixture(autouse=True)
def package_covers_2026(monkeypatch):
    monkeypatch.setattr(clock, "PACKAGE_YEARS", frozenset(range(2004, 2027)))


@pytest.fixture
def desk(unions):
    user = get_user_model().objects.create_user("desk")
    handler_for(unions["county"], user)  # the county federation's desk, where these requests are held
    return user


def load_2027(region_code=None, data=TEST_2027):
    region = Region.objects.get(code=region_code) if region_code else None
    return calendar_import(data=data, filename="2027.csv", region=region, now=at("2026-12-02"))


def test_it_never_counts_new_years_day_as_a_working_day_without_2027_data(regions):
    calendar = work_calendar(QINSHUI)
    assert not calendar.knows(2027) and calendar.knows(2026)
    assert not calendar.is_workday(D("2027-01-01"))  # a Friday, but 元旦 is on a fixed date every year
    # Thu 31 Dec + 1: Fri 1 Jan (元旦), Sat, Sun -> Mon 4 Jan, an estimate
    assert calendar.add_working_days(D("2026-12-31"), 1) == D("2027-01-04")
    assert calendar.provisional(D("2026-12-31"), D("2027-01-04"))
    assert not calendar.provisional(D("2026-12-28"), D("2026-12-31"))  # counted inside 2026 only


def test_a_request_filed_on_28_december_has_provisional_dates_then_recalculated_ones(unions, desk):
    filed = file_request(now=at("2026-12-28"))  # Monday; 1 working day to accept, 7 to resolve
    accepted = request_accept(request=file_request(now=at("2026-12-28")), by=desk, now=at("2026-12-28", 11))
    # Accept: Tue 29 Dec. Resolve: 29, 30, 31 Dec, (1 Jan 元旦, weekend), 4, 5, 6, 7 Jan.
    assert (filed.acknowledge_due_on, filed.resolve_due_on) == (D("2026-12-29"), D("2027-01-07"))
    assert filed.level_due_on == D("2026-12-29") and filed.due_provisional
    # Accepted: the resolution limit; due soon on the 6th of 7 working days (80 %): 6 January.
    assert (accepted.level_due_on, accepted.due_soon_on) == (D("2027-01-07"), D("2027-01-06"))

    result = load_2027()  # the national 2027 calendar

    assert result.years == (2027,) and result.recalculated == 2
    assert CalendarYear.objects.get(year=2027, region__isnull=True).recalculated == 2
    filed.refresh_from_db()
    accepted.refresh_from_db()
    # Resolve: 29, 30, 31 Dec, (1 Jan, weekend, 4 Jan off), 5, 6, 7, 8 Jan.
    assert (filed.acknowledge_due_on, filed.resolve_due_on, filed.level_due_on) == (
        D("2026-12-29"),
        D("2027-01-08"),
        D("2026-12-29"),
    )
    assert (accepted.level_due_on, accepted.due_soon_on) == (D("2027-01-08"), D("2027-01-07"))
    assert not filed.due_provisional and not accepted.due_provisional
    step = RequestEvent.objects.get(request=accepted, kind=EventKind.RECALCULATED)
    assert "2027-01-07 → 2027-01-08" in step.note


def test_an_escalation_by_the_sweep_into_2027_is_provisional_and_recalculated_from_its_day(unions):
    request = file_request(now=at("2026-12-01"))  # accept by 2 Dec, resolve by 10 Dec: all in 2026
    assert not request.due_provisional
    assert casework_sweep(now=at("2026-12-29", 9))["escalated"] == 1  # 2 Dec passed: up to the county
    request.refresh_from_db()
    # The county's 3 working days from Tue 29 Dec: 30, 31 Dec, (1 Jan), Mon 4 Jan - an estimate.
    assert (request.escalation_level, request.level_due_on, request.due_provisional) == (1, D("2027-01-04"), True)

    load_2027()

    request.refresh_from_db()
    # 30, 31 Dec, (1 Jan, weekend, 4 Jan off), Tue 5 Jan.
    assert (request.level_due_on, request.due_provisional) == (D("2027-01-05"), False)


def test_a_forward_into_2027_is_recalculated_from_the_forwarding_day(unions, desk):
    request = file_request(now=at("2026-12-21"))
    request_forward(request=request, by=desk, reason="超出本级职权", now=at("2026-12-30"))
    request.refresh_from_db()
    assert (request.level_due_on, request.due_provisional) == (D("2027-01-05"), True)  # 31 Dec, 4, 5 Jan
    load_2027()
    request.refresh_from_db()
    assert (request.level_due_on, request.due_provisional) == (D("2027-01-06"), False)  # 31 Dec, 5, 6 Jan


def test_the_city_loads_2027_for_every_county_below_it_and_a_county_adds_local_days_only(unions, desk):
    request = file_request(now=at("2026-12-28"))
    load_2027(QINSHUI, "日期,类型,名称\n2027-01-05,休息日,本县\n".encode())  # a county's own day
    request.refresh_from_db()
    assert request.due_provisional and not calendar_year_known(2027, QINSHUI)
    assert request.resolve_due_on == D("2027-01-08")  # 5 Jan off locally; still an estimate

    load_2027(JINCHENG)

    assert calendar_year_known(2027, QINSHUI) and calendar_year_known(2027, YANGCHENG)
    assert not calendar_year_known(2027, "1406") and not calendar_year_known(2027)
    request.refresh_from_db()
    # 29, 30, 31 Dec, (1 Jan, weekend, 4 Jan city, 5 Jan county), 6, 7, 8 Jan, Saturday 9 Jan (worked).
    assert (request.resolve_due_on, request.due_provisional) == (D("2027-01-09"), False)


def test_closed_requests_are_left_as_they_were(unions, desk):
    request = file_request(now=at("2026-12-28"))
    WorkerRequest.objects.filter(pk=request.pk).update(status="closed")
    assert load_2027().recalculated == 0
    request.refresh_from_db()
    assert request.resolve_due_on == D("2027-01-07") and request.due_provisional


def test_the_workbench_warns_from_1_december_until_2027_is_loaded(unions, alice, carol):
    file_request(now=at("2026-12-28"))

    def warning(user, today):
        return next((item for item in workbench_items(user, today=today) if "due=provisional" in item.url), None)

    assert warning(alice, D("2026-11-30")).count == 1 and not warning(alice, D("2026-11-30")).warning
    item = warning(alice, D("2026-12-01"))
    assert item.warning and item.urgent and item.count == 1 and "2027" in item.label
    assert warning(carol, D("2026-12-01")).warning  # city staff, who load it, see it too

    load_2027()

    assert warning(alice, D("2026-12-01")) is None  # known and nothing provisional: nothing to say


def test_due_soon_is_never_the_due_day_for_limits_of_two_days_or_more(regions):
    calendar = work_calendar()
    start = D("2026-09-01")  # Tuesday
    assert calendar.due_soon(start, 1) == calendar.add_working_days(start, 1)  # a 1-day limit: its only day
    for days in (2, 3, 4, 5, 7, 15):
        assert calendar.due_soon(start, days) < calendar.add_working_days(start, days), days
    assert calendar.due_soon(start, 2) == D("2026-09-02") and calendar.due_soon(start, 3) == D("2026-09-03")


def test_the_calendar_list_says_which_years_the_clock_knows(client_for, carol, alice):
    from django.urls import reverse

    url = reverse("admin:casework_calendaroverride_changelist")
    page = client_for(alice).get(url).content.decode()
    assert "2004–2026" in page and "2027" not in page.split('id="calendar-years"')[1].split("</table>")[0]
    load_2027(JINCHENG)
    page = client_for(carol).get(url).content.decode()
    years = page.split('id="calendar-years"')[1].split("</table>")[0]
    assert "2027" in years and "晋城市" in years


def test_the_worker_reads_a_provisional_date_as_provisional(unions, desk):
    accepted = request_accept(request=file_request(now=at("2026-12-28")), by=desk, now=at("2026-12-28", 11))
    assert request_now(accepted)["provisional"] and request_now(accepted)["due"] == D("2027-01-07")
    load_2027()
    accepted.refresh_from_db()
    assert not request_now(accepted)["provisional"]
