"""The admin: scoping (another county's staff get "not found"), handlers' desks, the actions, masking,
the agreement's print page and the figures page, for each persona who may see them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from casework.choices import PartyRole
from casework.models import MediationCase, WorkerRequest
from casework.services import agreements, mediation
from tests.casework.factories import at, file_request, handler_for, mediation_station
from tests.factories import UserFactory

D = dt.date.fromisoformat


@pytest.fixture
def request_in_qinshui(unions):
    return file_request(employer_name=unions["grassroots"].employer, mobile="13812345678", now=at("2026-09-30"))


def inline_management(*prefixes):
    return {f"{p}-{k}": v for p in prefixes for k, v in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()}


ACTION_INLINES = inline_management("events", "referrals", "attachments")


def change_url(obj):
    return reverse(f"admin:casework_{obj._meta.model_name}_change", args=[obj.pk])


def test_it_shows_county_staff_their_county_and_hides_it_from_the_other_county(
    client_for, alice, bob, request_in_qinshui
):
    url = reverse("admin:casework_workerrequest_changelist")
    assert request_in_qinshui.reference in client_for(alice).get(url).content.decode()
    client = client_for(bob)
    assert request_in_qinshui.reference not in client.get(url).content.decode()
    assert client.get(change_url(request_in_qinshui)).status_code == 302  # "not found" redirect to the index
    assert client.get(change_url(request_in_qinshui), follow=True).status_code == 200


def test_it_masks_the_mobile_number_and_reveals_it_only_logged(client_for, alice, carol, request_in_qinshui):
    from membership.models import PersonalDataReveal

    reveal_url = reverse("admin:casework_workerrequest_reveal", args=[request_in_qinshui.pk])
    staff = client_for(alice)
    page = staff.get(change_url(request_in_qinshui)).content.decode()
    assert "13812345678" not in page and "138****5678" in page and reveal_url in page
    assert "13812345678" not in staff.get(reveal_url).content.decode()  # asking shows nothing yet
    assert "13812345678" in staff.post(reveal_url).content.decode()
    log = PersonalDataReveal.objects.get()
    assert (log.user, log.subject, log.region_id) == (alice, "workerrequest", "140521")
    assert "138****5678" in log.subject_label
    reader = client_for(carol)
    page = reader.get(change_url(request_in_qinshui)).content.decode()
    assert "13812345678" not in page and "138****5678" in page and reveal_url not in page
    assert reader.post(reveal_url).status_code == 403
    assert PersonalDataReveal.objects.count() == 1


def test_it_shows_a_union_chair_without_a_region_the_requests_of_their_union(client, unions, request_in_qinshui):
    from django.contrib.auth.models import Group

    from unionhub.roles import GROUP_NAMES

    chair = UserFactory(username="chair2")
    chair.groups.add(Group.objects.get(name=GROUP_NAMES["station_manager"]))
    client.force_login(chair, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:casework_workerrequest_changelist")
    assert request_in_qinshui.reference not in client.get(url).content.decode()
    handler_for(unions["grassroots"], chair)
    assert request_in_qinshui.reference in client.get(url).content.decode()


def test_it_accepts_and_forwards_through_the_change_form(client_for, alice, unions, request_in_qinshui):
    client = client_for(alice)
    response = client.post(change_url(request_in_qinshui), {"action": "accept", "message": "", **ACTION_INLINES})
    assert response.status_code == 302
    request_in_qinshui.refresh_from_db()
    assert request_in_qinshui.status == "accepted" and request_in_qinshui.handler == alice
    response = client.post(change_url(request_in_qinshui), {"action": "forward", "message": "", **ACTION_INLINES})
    assert response.status_code == 200 and "message" in response.context["adminform"].form.errors
    client.post(change_url(request_in_qinshui), {"action": "forward", "message": "超出职权", **ACTION_INLINES})
    request_in_qinshui.refresh_from_db()
    assert request_in_qinshui.holder == unions["town"]


def test_it_lets_a_station_manager_see_requests_and_cases_of_their_station(client_for, dave, unions):
    station = mediation_station(managers=[dave])
    request = file_request(employer_name="查无此公司", station=station)
    case = mediation.mediation_open(station=station, category="wages", summary="欠薪", received_on=D("2026-09-20"))
    client = client_for(dave)
    assert request.reference in client.get(reverse("admin:casework_workerrequest_changelist")).content.decode()
    assert case.number in client.get(reverse("admin:casework_mediationcase_changelist")).content.decode()


def test_it_refuses_closing_a_case_without_an_outcome_in_the_admin(client_for, alice, unions):
    station = mediation_station()
    case = mediation.mediation_open(station=station, category="wages", summary="欠薪", received_on=D("2026-09-20"))
    data = {
        "station": station.pk,
        "source": "desk",
        "category": "wages",
        "summary": "欠薪",
        "received_on": "2026-09-20",
        "status": "open",
        "closed_on": "2026-09-30",
        "outcome_note": "",
        **{
            f"{prefix}-{key}": value
            for prefix in ("parties", "claims", "mediators", "meetings")
            for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
        },
    }
    response = client_for(alice).post(change_url(case), data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.closed_on is None


def test_it_refuses_in_the_admin_a_mediator_not_on_the_stations_team(client_for, alice, unions):
    """The team rule is the service's (``mediator_check``); the case's mediator inline applies it."""
    station = mediation_station()
    case = mediation.mediation_open(station=station, category="wages", summary="欠薪", received_on=D("2026-09-20"))
    data = {
        "station": station.pk,
        "source": "desk",
        "category": "wages",
        "summary": "欠薪",
        "received_on": "2026-09-20",
        "status": "open",
        "outcome_note": "",
        **inline_management("parties", "claims", "meetings"),
        "mediators-TOTAL_FORMS": "1",
        "mediators-INITIAL_FORMS": "0",
        "mediators-0-name": "路人甲",
    }
    response = client_for(alice).post(change_url(case), data)
    assert response.status_code == 200 and not case.mediators.exists()
    assert "路人甲" in str(response.context["inline_admin_formsets"][2].formset.errors)
    data["mediators-0-name"] = "赵调解"
    assert client_for(alice).post(change_url(case), data).status_code == 302
    assert list(case.mediators.values_list("name", flat=True)) == ["赵调解"]


def test_it_prints_the_agreement_and_hides_it_from_another_county(client_for, alice, bob, unions):
    station = mediation_station()
    case = mediation.mediation_open(station=station, category="wages", summary="欠薪", received_on=D("2026-09-20"))
    worker = mediation.party_add(case=case, role=PartyRole.WORKER, name="张三")
    mediation.party_add(case=case, role=PartyRole.EMPLOYER, name="某公司")
    mediation.claim_add(
        case=case, party=worker, description="工资", amount_claimed=Decimal("5000.00"), amount_agreed=Decimal("5000.00")
    )
    agreement = agreements.agreement_sign(case=case, signed_on=D("2026-09-25"), terms="一次性支付。")
    url = reverse("admin:casework_agreement_print", args=[agreement.pk])
    page = client_for(alice).get(url).content.decode()
    assert "张三" in page and "5,000.00" in page and "@media print" in page
    assert client_for(bob).get(url).status_code == 302


def test_it_shows_the_figures_per_station(client_for, alice, bob, unions):
    station = mediation_station()
    case = mediation.mediation_open(station=station, category="wages", summary="欠薪", received_on=D("2026-09-20"))
    mediation.claim_add(
        case=case, description="工资", amount_claimed=Decimal("5000.00"), amount_agreed=Decimal("4000.00")
    )
    agreements.agreement_sign(case=case, signed_on=D("2026-09-25"), terms="一次性支付。")
    url = reverse("admin:casework_mediationcase_figures") + "?start=2026-01-01&end=2026-12-31"
    response = client_for(alice).get(url)
    assert response.status_code == 200
    assert response.context["total"].cases_settled == 1 and response.context["total"].agreed == Decimal("4000.00")
    assert client_for(bob).get(url).context["total"].cases_received == 0


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "dave", "root"])
@pytest.mark.parametrize(
    "model", ["workerrequest", "mediationcase", "agreement", "timelimit", "calendaroverride", "unionhandler"]
)
def test_every_casework_changelist_opens_for_each_persona(client_for, people, unions, persona, model):
    file_request()
    # The requests list searches privately: a ?q= is turned into a session token by a redirect first.
    response = client_for(people[persona]).get(reverse(f"admin:casework_{model}_changelist"), {"q": "x"}, follow=True)
    assert response.status_code in (200, 403)
    if persona in ("alice", "root"):
        assert response.status_code == 200


def test_city_staff_cannot_register_requests_and_nothing_is_written_by_opening_the_form(
    client_for, alice, carol, unions
):
    assert client_for(carol).get(reverse("admin:casework_workerrequest_add")).status_code == 403
    assert client_for(alice).get(reverse("admin:casework_workerrequest_add")).status_code == 200
    assert WorkerRequest.objects.count() == 0
    assert MediationCase.objects.count() == 0


def test_the_figures_page_opens_on_real_figures_with_dates_the_browser_accepts(client_for, alice, unions):
    """No period asked: the inputs carry ISO dates (an <input type=date> shows nothing else) and, when nothing
    arrived this year yet, the range is the latest year that has figures - not a table of zeros."""
    last_year = dt.date.today().year - 1
    station = mediation_station()
    mediation.mediation_open(station=station, category="wages", summary="欠薪", received_on=dt.date(last_year, 6, 3))
    response = client_for(alice).get(reverse("admin:casework_mediationcase_figures"))
    page = response.content.decode()
    assert f'name="start" value="{last_year}-01-01"' in page and f'name="end" value="{last_year}-12-31"' in page
    assert response.context["total"].cases_received == 1
    asked = client_for(alice).get(
        reverse("admin:casework_mediationcase_figures"), {"start": "2020-01-01", "end": "2020-12-31"}
    )
    assert 'value="2020-01-01"' in asked.content.decode() and asked.context["total"].cases_received == 0


def test_the_figures_page_opens_on_this_year_when_something_arrived_this_year(client_for, alice, unions):
    today = dt.date.today()
    mediation.mediation_open(station=mediation_station(), category="wages", summary="欠薪", received_on=today)
    response = client_for(alice).get(reverse("admin:casework_mediationcase_figures"))
    assert f'name="start" value="{today.year}-01-01"' in response.content.decode()
    assert f'name="end" value="{today:%Y-%m-%d}"' in response.content.decode()
    assert response.context["total"].cases_received == 1
