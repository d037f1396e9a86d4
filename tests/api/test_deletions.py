"""Deletions in the changes export: every listed model's deleted rows come back from …/deletions/ to the
accounts that reached them when they were deleted - another county's never - in and out of scope, for every
persona; a cascade records its rows in one INSERT; a deletion rolled back leaves no tombstone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import Deletion
from api.routers import listed_models
from tests.api.conftest import V1, problem
from tests.api.test_api_matrix import PREFIX, SPECS, _visible
from tests.factories import QINSHUI, YANGCHENG
from tests.personas import PERSONAS
from tests.scope_cases import CASES, load_app_cases
from unionhub.lists import may_view

load_app_cases()
pytestmark = pytest.mark.django_db


def _deleted_ids(api, url, secret, since) -> set[int] | int:
    response = api.get(url, secret, since=since, limit=200)
    if response.status_code != 200:
        return response.status_code
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("spec", SPECS, ids=[spec.key for spec in SPECS])
def test_deleted_rows_are_reported_to_those_who_reached_them_only(spec, people, api, token_for):
    case = CASES[spec.model]
    since = (timezone.now() - dt.timedelta(minutes=5)).isoformat()
    objects = {"in": case.make(QINSHUI, people), "out": case.make(YANGCHENG, people)}
    ids = {which: obj.pk for which, obj in objects.items()}
    for obj in objects.values():
        obj.delete()
    url = f"{V1}/staff/{PREFIX[spec.key]}/{spec.key}/deletions/"
    assert problem(api.get(url, since=since))["status"] == 401
    failures = []
    for name, persona in PERSONAS.items():
        user = people[name]
        got = _deleted_ids(api, url, token_for(user), since)
        if not may_view(user, spec.model):
            if got != 403:
                failures.append(f"{name}: {got}, expected 403")
            continue
        if isinstance(got, int):
            failures.append(f"{name}: {got}")
            continue
        for which, county in (("in", QINSHUI), ("out", YANGCHENG)):
            # A station's own tombstone: its managers went with it.
            want = _visible(persona, county, case) and not (name == "dave" and spec.key == "stations")
            if (ids[which] in got) != want:
                failures.append(f"{name} {which}: reported={ids[which] in got}, expected {want}")
    assert not failures, "\n".join(failures)


def test_every_listed_model_is_watched_and_a_cascade_is_recorded_in_one_insert(people):
    from outreach.models import Event
    from outreach.services import signup_create
    from tests.outreach.scope_cases import event_in

    assert {spec.model for spec in SPECS} == set(listed_models())
    event = event_in(QINSHUI, people)
    desks = [CASES[next(s.model for s in SPECS if s.key == "desks")].make(QINSHUI, people) for _ in range(3)]
    for desk in desks:
        desk.event = event
        desk.save(update_fields=["event"])
    signup_create(event=event, name="张三", mobile="13912340000", consent=True)
    with CaptureQueriesContext(connection) as queries:
        Event.objects.filter(pk=event.pk).delete()
    inserts = [q["sql"] for q in queries.captured_queries if 'INSERT INTO "api_deletion"' in q["sql"]]
    assert len(inserts) == 1  # the event; its desks are kept (SET_NULL), its sign-ups are not listed
    tombstone = Deletion.objects.get(model="outreach.event")
    assert tombstone.object_id == event.pk and tombstone.region_code.startswith(QINSHUI)


def test_a_deletion_rolled_back_leaves_no_tombstone(people):
    case = CASES[next(s.model for s in SPECS if s.key == "vacancies")]
    vacancy = case.make(QINSHUI, people)
    pk, station_id = vacancy.pk, vacancy.station_id
    with pytest.raises(RuntimeError), transaction.atomic():
        vacancy.delete()
        raise RuntimeError
    assert not Deletion.objects.exists()
    type(vacancy).objects.get(pk=pk).delete()
    assert Deletion.objects.get().station_id == station_id


def test_since_is_required_and_the_cursor_is_the_lists_own(people, api, token_for):
    secret = token_for(people["root"])
    url = f"{V1}/staff/employment/vacancies/deletions/"
    assert problem(api.get(url, secret))["errors"]["since"]
    case = CASES[next(s.model for s in SPECS if s.key == "vacancies")]
    for _ in range(3):
        case.make(QINSHUI, people).delete()
    since = (timezone.now() - dt.timedelta(minutes=5)).isoformat()
    first = api.get(url, secret, since=since, limit=2).json()
    assert len(first["results"]) == 2 and first["next_cursor"]
    rest = api.get(url, secret, since=since, limit=2, cursor=first["next_cursor"]).json()
    assert len(rest["results"]) == 1 and rest["next_cursor"] is None
    other = api.get(f"{V1}/staff/employment/wishes/deletions/", secret, since=since, cursor=first["next_cursor"])
    assert problem(other)["type"].endswith("bad-cursor")


def test_a_union_chair_with_no_region_learns_of_the_deletion_of_a_request_they_handle(regions, api, token_for):
    """A chair reaches a request by assignment (its holding union's handler), not by region: the request's
    tombstone carries them as a reader, and a chair of another union does not see it."""
    from casework.services.handlers import union_handler_add
    from tests.casework.factories import file_request, hierarchy
    from tests.factories import UserFactory

    unions = hierarchy(QINSHUI)
    chair, other = UserFactory(username="chair"), UserFactory(username="other-chair")
    union_handler_add(union=unions["grassroots"], user=chair, is_default=True)
    union_handler_add(union=hierarchy(YANGCHENG)["grassroots"], user=other, is_default=True)
    request = file_request(employer_name=unions["grassroots"].employer)
    url = f"{V1}/staff/casework/requests/"
    since = (timezone.now() - dt.timedelta(minutes=5)).isoformat()
    chair_token, other_token = token_for(chair), token_for(other)
    assert request.holder_id == unions["grassroots"].pk
    assert [row["id"] for row in api.get(url, chair_token).json()["results"]] == [request.pk]
    pk = request.pk
    request.delete()
    assert _deleted_ids(api, f"{url}deletions/", chair_token, since) == {pk}
    assert _deleted_ids(api, f"{url}deletions/", other_token, since) == set()
