"""Filing, routing, handling and escalation of workers' requests, with hand-computed due dates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.choices import EventKind, RequestStatus
from casework.models import RequestEvent, TimeLimit, WorkerRequest
from casework.services import handling
from casework.services.requests import request_rate, request_reopen
from casework.services.sweep import casework_sweep
from tests.casework.factories import at, file_request, handler_for, hierarchy, mediation_station
from tests.factories import QINSHUI, UserFactory

D = dt.date.fromisoformat


@pytest.fixture
def chair(unions):
    user = UserFactory(username="chair", first_name="李主席")
    handler_for(unions["grassroots"], user)
    return user


def test_it_routes_to_the_employers_union_by_credit_code_and_gives_it_to_the_chair(unions, chair):
    union = unions["grassroots"]
    request = file_request(
        employer_name="别的写法", employer_credit_code=union.credit_code.lower(), now=at("2026-09-30")
    )
    assert request.holder == union and request.employer_union == union
    assert request.handler == chair
    assert request.region_id == union.region_id


def test_it_routes_by_the_employers_name_when_no_code_is_given(unions):
    union = unions["grassroots"]
    assert file_request(employer_name=union.employer).holder == union


def test_it_routes_an_unknown_employer_to_the_county_federations_desk(unions):
    request = file_request(employer_name="查无此公司")
    assert request.holder == unions["county"] and request.employer_union is None
    assert request.region_id == QINSHUI


def test_it_routes_a_request_filed_at_a_station_to_the_station_with_the_county_behind_it(unions):
    station = mediation_station()
    request = file_request(employer_name="查无此公司", station=station, county_code=None)
    assert request.station == station and request.holder == unions["county"]
    assert request.region_id == station.region_id


def test_it_routes_by_the_union_qr_code_when_the_employer_is_unknown(unions):
    request = file_request(employer_name="查无此公司", source_union=unions["grassroots"], county_code=None)
    assert request.holder == unions["grassroots"]


def test_it_sets_the_limits_in_working_days_across_national_day(unions):
    request = file_request(now=at("2026-09-30"))
    assert request.acknowledge_due_on == D("2026-10-08")
    assert request.resolve_due_on == D("2026-10-15")  # counts Saturday 10 October
    assert request.level_due_on == D("2026-10-08")


def test_it_uses_the_countys_own_time_limit(unions):
    TimeLimit.objects.create(category="wages", acknowledge_days=2, resolve_days=5)
    TimeLimit.objects.create(category="wages", region_id=QINSHUI, acknowledge_days=1, resolve_days=3)
    request = file_request(now=at("2026-09-30"))
    assert request.resolve_due_on == D("2026-10-10")


def test_it_refuses_a_request_without_consent_and_writes_nothing(unions):
    with pytest.raises(ValidationError) as error:
        file_request(consent=False)
    assert "consent" in error.value.message_dict
    assert not WorkerRequest.objects.exists()


def test_it_accepts_then_resolves_and_the_worker_rates(unions, chair):
    request = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
    request = handling.request_accept(request=request, by=chair, now=at("2026-10-08"))
    assert request.level_due_on == D("2026-10-15") and request.due_soon_on == D("2026-10-14")
    handling.request_respond(request=request, by=chair, message="已联系企业。")
    request = handling.request_resolve(request=request, by=chair, resolution="工资已结清。", now=at("2026-10-09"))
    request = request_rate(request=request, rating=5, good=["fast"], comment="谢谢")
    assert request.status == RequestStatus.CLOSED and request.rating == 5
    with pytest.raises(ValidationError):
        request_rate(request=request, rating=1)


def test_it_reopens_within_the_window_only(unions, chair, settings):
    settings.CASEWORK_REOPEN_DAYS = 10
    request = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-01"))
    request = handling.request_resolve(request=request, by=chair, resolution="已答复。", now=at("2026-09-02"))
    with pytest.raises(ValidationError):
        request_reopen(request=request, reason="没解决", now=at("2026-09-13"))
    request = request_reopen(request=request, reason="没解决", now=at("2026-09-12"))
    assert request.status == RequestStatus.ACCEPTED and request.reopen_count == 1


def test_it_keeps_the_clock_on_reassignment(unions, chair):
    other = UserFactory(username="deputy")
    handler_for(unions["grassroots"], other, default=False)
    request = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
    request = handling.request_assign(request=request, handler=other, by=chair)
    assert request.handler == other and request.level_due_on == D("2026-10-08")


def test_it_refuses_a_handler_who_cannot_see_the_request(unions, chair):
    stranger = UserFactory(username="stranger")
    request = file_request(employer_name=unions["grassroots"].employer)
    with pytest.raises(ValidationError):
        handling.request_assign(request=request, handler=stranger, by=chair)


def test_it_forwards_to_the_higher_union_on_the_workers_behalf(unions, chair):
    request = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
    request = handling.request_forward(request=request, by=chair, reason="涉及社保，超出本会职权", now=at("2026-10-09"))
    assert request.holder == unions["town"] and request.escalation_level == 1
    assert request.level_due_on == D("2026-10-13")  # 3 working days: Sat 10, Mon 12, Tue 13
    assert request.resolve_due_on == D("2026-10-15")  # the clock keeps running
    assert request.events.filter(kind=EventKind.FORWARDED, to_union=unions["town"]).exists()


def test_it_refers_to_labour_inspection_with_the_referral_recorded(unions, chair):
    request = file_request(employer_name=unions["grassroots"].employer)
    referral = handling.request_refer(request=request, by=chair, department="inspection", note="涉嫌违法")
    request.refresh_from_db()
    assert referral.department == "inspection" and request.status == RequestStatus.RESOLVED
    assert request.events.filter(kind=EventKind.REFERRED).exists()


def test_the_sweep_escalates_an_overdue_request_up_the_hierarchy_with_each_levels_limit(unions, chair):
    town_chair = UserFactory(username="town")
    handler_for(unions["town"], town_chair)
    request = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))

    assert casework_sweep(now=at("2026-10-08", 17)) == {
        "escalated": 0,
        "due_soon": 1,
        "stalled": 0,
    }  # due today: a reminder
    assert casework_sweep(now=at("2026-10-09", 9)) == {"escalated": 1, "due_soon": 0, "stalled": 0}
    request.refresh_from_db()
    assert request.holder == unions["town"] and request.handler == town_chair
    assert request.escalation_level == 1 and request.level_due_on == D("2026-10-13")
    assert request.resolve_due_on == D("2026-10-15")
    assert casework_sweep(now=at("2026-10-09", 10))["escalated"] == 0  # once per passed limit

    casework_sweep(now=at("2026-10-14", 9))
    request.refresh_from_db()
    assert request.holder == unions["county"] and request.handler is None and request.escalation_level == 2
    assert request.level_due_on == D("2026-10-19")  # 15, 16, 19
    steps = list(request.events.filter(kind=EventKind.ESCALATED).values_list("from_union", "to_union"))
    assert steps == [(unions["grassroots"].pk, unions["town"].pk), (unions["town"].pk, unions["county"].pk)]


def test_one_sweep_moves_requests_at_different_levels_each_with_its_own_next_limit(unions, chair, settings):
    settings.CASEWORK_ESCALATION_DAYS = [3, 5]
    at_grassroots = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
    at_town = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
    handling.request_forward(request=at_town, by=chair, reason="超出本会职权", now=at("2026-10-08"))
    at_town.refresh_from_db()
    assert at_town.level_due_on == D("2026-10-12")  # Fri 9, Sat 10 (make-up day), Mon 12
    assert casework_sweep(now=at("2026-10-13", 9))["escalated"] == 2
    at_grassroots.refresh_from_db()
    at_town.refresh_from_db()
    assert (at_grassroots.holder, at_grassroots.escalation_level) == (unions["town"], 1)
    assert at_grassroots.level_due_on == D("2026-10-16")  # level 1: 3 working days from Tue 13
    assert (at_town.holder, at_town.escalation_level) == (unions["county"], 2)
    assert at_town.level_due_on == D("2026-10-20")  # level 2: 5 working days from Tue 13
    assert at_town.resolve_due_on == at_grassroots.resolve_due_on  # the filing clock does not move


def test_the_sweep_leaves_resolved_and_top_level_requests_alone(unions, chair):
    resolved = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
    handling.request_resolve(request=resolved, by=chair, resolution="好了")
    top = file_request(employer_name="x", now=at("2026-09-30"))
    top.holder = unions["city"]
    top.save()
    assert casework_sweep(now=at("2026-11-30"))["escalated"] == 0


def test_the_sweeps_query_count_does_not_grow_with_the_number_of_requests(unions):
    def sweep_queries(n):
        for _ in range(n):
            file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
        with CaptureQueriesContext(connection) as queries:
            casework_sweep(now=at("2026-10-09"))
        return len(queries)

    few = sweep_queries(3)
    many = sweep_queries(40)
    assert few == many
    assert RequestEvent.objects.filter(kind=EventKind.ESCALATED).count() == 43


def test_it_escalates_requests_of_two_counties_with_their_own_calendars(regions):
    from casework.models import CalendarOverride
    from tests.factories import YANGCHENG

    qinshui, yangcheng = hierarchy(), hierarchy(YANGCHENG)
    CalendarOverride.objects.create(date=D("2026-10-12"), is_workday=False, region_id=QINSHUI)
    a = file_request(employer_name=qinshui["grassroots"].employer, now=at("2026-09-30"))
    b = file_request(employer_name=yangcheng["grassroots"].employer, county_code=YANGCHENG, now=at("2026-09-30"))
    casework_sweep(now=at("2026-10-09"))
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.level_due_on == D("2026-10-14") and b.level_due_on == D("2026-10-13")
