"""Casework's lists as selectors: workers' requests (scoped through ``requests_reached``, so a union chair with no
region reaches their union's requests) and mediation cases, filtered by FilterSets named as the changelists'
parameters: the selector reads exactly the changelist's rows at the same query string."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from casework.filtersets import MediationCaseFilterSet, RequestFilterSet
from casework.models import WorkerRequest
from casework.selectors.lists import mediation_list, request_list
from casework.services import mediation
from tests.casework.factories import at, file_request, hierarchy, mediation_station
from tests.factories import TOWN_OF, YANGCHENG

pytestmark = pytest.mark.django_db


@pytest.fixture
def casework(unions, people):
    station = mediation_station(managers=[people["dave"]])
    requests = {
        "old": file_request(employer_name="拖欠公司", name="张三", now=at("2026-09-01")),
        "new": file_request(employer_name="新近公司", category="injury", now=at("2026-11-30")),
        "station": file_request(employer_name="查无此公司", station=station, now=at("2026-10-12")),
    }
    hierarchy(YANGCHENG)
    requests["theirs"] = file_request(employer_name="阳城公司", county_code=YANGCHENG, now=at("2026-10-01"))
    WorkerRequest.objects.filter(pk=requests["old"].pk).update(escalation_level=3, handler=people["alice"])
    cases = {
        "open": mediation.mediation_open(
            station=station, category="wages", summary="欠薪三个月", received_on=dt.date(2026, 9, 1)
        ),
        "recent": mediation.mediation_open(
            station=station, category="injury", summary="工伤待遇", received_on=dt.date.today()
        ),
        "theirs": mediation.mediation_open(
            station=mediation_station(region_id=TOWN_OF[YANGCHENG]),
            category="wages",
            summary="阳城欠薪",
            received_on=dt.date(2026, 9, 2),
        ),
    }
    return requests, cases


def changelist(client, model: str, params: dict) -> set:
    response = client.get(reverse(f"admin:casework_{model}_changelist"), params)
    assert response.status_code == 200, (model, params, response.get("Location"))
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def ids(queryset) -> set:
    return set(queryset.values_list("pk", flat=True))


def test_each_persona_gets_the_requests_they_reach(casework, people):
    requests, _cases = casework
    assert ids(request_list(user=people["alice"])) == {requests["old"].pk, requests["new"].pk, requests["station"].pk}
    assert ids(request_list(user=people["bob"])) == {requests["theirs"].pk}
    assert ids(request_list(user=people["carol"])) == {r.pk for r in requests.values()}
    assert ids(request_list(user=people["dave"])) == {requests["station"].pk}  # their station's desk


def test_the_request_filters_and_search(casework, people):
    requests, _cases = casework
    alice = people["alice"]
    assert ids(request_list(user=alice, filters={"mine": "me"})) == {requests["old"].pk}
    assert ids(request_list(user=alice, filters={"escalation_level": "3+"})) == {requests["old"].pk}
    assert ids(request_list(user=alice, filters={"category__exact": "injury"})) == {requests["new"].pk}
    assert ids(request_list(user=alice, filters={"filed_at__year": "2026", "filed_at__month": "10"})) == {
        requests["station"].pk
    }
    assert ids(request_list(user=alice, search="拖欠")) == {requests["old"].pk}
    assert ids(request_list(user=alice, search=requests["new"].reference)) == {requests["new"].pk}


def test_the_case_filters_and_search(casework, people):
    _requests, cases = casework
    alice = people["alice"]
    assert ids(mediation_list(user=alice)) == {cases["open"].pk, cases["recent"].pk}
    assert ids(mediation_list(user=alice, filters={"period": "passed"})) == {cases["open"].pk}
    assert ids(mediation_list(user=alice, search="工伤")) == {cases["recent"].pk}
    assert ids(mediation_list(user=people["dave"])) == {cases["open"].pk, cases["recent"].pk}


def test_a_user_without_the_permission_is_refused(casework, people):
    with pytest.raises(PermissionDenied):
        mediation_list(user=people["erin"])


REQUEST_COMBOS = [
    {},
    {"mine": "me"},
    {"mine": "desk"},
    {"due": "overdue"},
    {"due": "soon"},
    {"status__exact": "new"},
    {"category__exact": "wages"},
    {"escalation_level": "0"},
    {"escalation_level": "3+"},
    {"filed_at__year": "2026", "filed_at__month": "9"},
    {"filed_at__year": "2026", "filed_at__month": "11", "filed_at__day": "30"},
]


@pytest.mark.parametrize("params", REQUEST_COMBOS)
@pytest.mark.parametrize("who", ["alice", "carol", "dave"])
def test_the_request_selector_reads_the_changelists_rows(casework, people, client_for, who, params):
    user = people[who]
    assert ids(request_list(user=user, filters=params)) == changelist(client_for(user), "workerrequest", params)


CASE_COMBOS = [
    {},
    {"status__exact": "open"},
    {"source__exact": "desk"},
    {"category__exact": "injury"},
    {"period": "passed"},
    {"received_on__year": "2026", "received_on__month": "9"},
]


@pytest.mark.parametrize("params", CASE_COMBOS)
@pytest.mark.parametrize("who", ["alice", "carol", "dave"])
def test_the_case_selector_reads_the_changelists_rows(casework, people, client_for, who, params):
    user = people[who]
    assert ids(mediation_list(user=user, filters=params)) == changelist(client_for(user), "mediationcase", params)


def test_the_desk_filter_reads_the_changelists_rows(casework, people, client_for):
    _requests, cases = casework
    params = {"station__id__exact": cases["open"].station_id}
    alice = people["alice"]
    assert ids(mediation_list(user=alice, filters=params)) == changelist(client_for(alice), "mediationcase", params)


@pytest.mark.parametrize("filterset", [RequestFilterSet, MediationCaseFilterSet])
def test_every_filter_has_a_chinese_label(filterset):
    labels = {name: str(f.label) for name, f in filterset.base_filters.items()}
    assert all(label and not label.isascii() for label in labels.values()), labels
