"""A vacancy's employer from outreach's register (chosen or found by credit code, in the station's county only),
a job fair's sign-ups and check-ins through its outreach event, and the logged reveal of a wish's mobile."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from employment.models import JobFair, Vacancy
from employment.selectors.figures import fair_figures, fair_results
from employment.services import fair_validate
from membership.models import PersonalDataReveal
from outreach.models import SignUp
from tests.employment.factories import TODAY, filed, posted
from tests.factories import JIAFENG, RUNCHENG
from tests.outreach.factories import employer, event
from tests.stations.factories import StationFactory
from unionhub.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(regions):
    return StationFactory()


def test_a_typed_credit_code_in_the_register_links_the_vacancy_to_it(station):
    registered = employer(name="沁水某某物流有限公司")
    vacancy = posted(station, employer_name="某某物流", employer_credit_code=registered.credit_code.lower())
    assert vacancy.employer == registered
    assert vacancy.employer_credit_code == registered.credit_code  # normalised
    assert vacancy.employer_name == "某某物流"  # as typed


def test_another_countys_employer_is_neither_linked_nor_chosen(station):
    elsewhere = employer(town=RUNCHENG)
    assert posted(station, employer_credit_code=elsewhere.credit_code).employer is None
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        posted(station, employer=elsewhere, employer_name="", employer_credit_code="")
    assert "本驿站所在县" in caught.value.message_dict["employer"][0]


def test_an_employer_chosen_from_the_register_gives_its_name_and_code(station):
    registered = employer(name="嘉峰镇某某煤业有限公司")
    vacancy = posted(station, employer=registered, employer_name="", employer_credit_code="")
    assert (vacancy.employer_name, vacancy.employer_credit_code) == ("嘉峰镇某某煤业有限公司", registered.credit_code)


def test_a_code_other_than_the_chosen_employers_is_refused_and_nothing_written(station):
    registered = employer()
    other = employer()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        posted(station, employer=registered, employer_credit_code=other.credit_code)
    assert registered.credit_code in caught.value.message_dict["employer_credit_code"][0]
    assert "不一致" in caught.value.message_dict["employer_credit_code"][0]
    assert not Vacancy.objects.exists()


def test_without_the_register_name_and_code_are_required(station):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        posted(station, employer_name="", employer_credit_code="")
    assert set(caught.value.message_dict) >= {"employer_name", "employer_credit_code"}
    assert "统一社会信用代码" in caught.value.message_dict["employer_credit_code"][0]


def test_the_register_autocomplete_is_scoped(station, client_for, alice, bob):
    employer(name="沁水甲公司")
    employer(town=RUNCHENG, name="阳城乙公司")
    url = reverse("admin:autocomplete")
    query = {"app_label": "employment", "model_name": "vacancy", "field_name": "employer", "term": "公司"}
    names = [r["text"] for r in client_for(alice).get(url, query).json()["results"]]
    assert names == ["沁水甲公司"]
    names = [r["text"] for r in client_for(bob).get(url, query).json()["results"]]
    assert names == ["阳城乙公司"]


def test_the_vacancy_form_offers_the_register_to_county_staff_not_to_a_station_manager(client_for, alice, people):
    dave = people["dave"]
    mine = StationFactory(managers=[dave])
    add = reverse("admin:employment_vacancy_add")
    assert 'name="employer"' in client_for(alice).get(add).content.decode()
    assert 'name="employer"' not in client_for(dave).get(add).content.decode()
    registered = employer(name="嘉峰某某保安服务公司")
    vacancy = posted(mine, employer_credit_code=registered.credit_code)
    page = client_for(alice).get(reverse("admin:employment_vacancy_check", args=[vacancy.pk])).content.decode()
    assert "已在用人单位名录中" in page
    # dave edits the title: the employer stays linked through the typed code
    change = reverse("admin:employment_vacancy_change", args=[vacancy.pk])
    form = client_for(dave).get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "employer"}
    data.update({"title": "夜班保安", "town": JIAFENG, "valid_until": vacancy.valid_until.isoformat()})
    data.update({"checks-TOTAL_FORMS": 0, "checks-INITIAL_FORMS": 0})
    response = client_for(dave).post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.employer) == ("夜班保安", registered)


def test_a_fair_held_as_an_outreach_event_counts_its_signups_and_checkins(station, alice):
    held = event(station=station, title="新就业形态劳动者专场招聘会")
    fair = JobFair.objects.create(name="专场招聘会", region_id=JIAFENG[:6], held_on=TODAY, event=held)
    fair.signups.create(name="张三", mobile="13900000001", intention=True, hired=True)
    SignUp.objects.create(event=held, name="甲", mobile="13900000002", checked_in_at=timezone.now())
    SignUp.objects.create(event=held, name="乙", mobile="13900000003")
    SignUp.objects.create(event=held, name="丙", mobile="13900000004", cancelled_at=timezone.now())
    results = fair_results(fair)
    # sign-ups and check-ins are the event's (the cancelled one not counted); intentions and hires the fair's
    assert (results["signups"], results["checked_in"], results["intentions"], results["hires"]) == (2, 1, 1, 1)
    period = fair_figures(user=alice, start=TODAY, end=TODAY)
    assert (period["signups"], period["checked_in"], period["hires"]) == (2, 1, 1)


def test_a_fair_cannot_take_another_countys_event(station):
    elsewhere = event(region=RUNCHENG)
    fair = JobFair(name="专场", region=Region.objects.get(code=JIAFENG[:6]), held_on=TODAY, event=elsewhere)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        fair_validate(fair=fair)
    assert "本县" in caught.value.message_dict["event"][0]


def test_a_wishs_mobile_is_revealed_only_logged_and_only_in_reach(station, client_for, people):
    wish = filed(station, mobile="13912345678", name="王五")
    change = reverse("admin:employment_jobwish_change", args=[wish.pk])
    reveal = reverse("admin:employment_jobwish_reveal", args=[wish.pk])
    alice = client_for(people["alice"])
    page = alice.get(change).content.decode()
    assert "13912345678" not in page and "139****5678" in page and reveal in page
    assert "13912345678" not in alice.get(reveal).content.decode()  # asking shows nothing yet
    assert "13912345678" in alice.post(reveal).content.decode()
    log = PersonalDataReveal.objects.get()
    assert (log.user, log.subject, log.region_id) == (people["alice"], "jobwish", "140521")
    assert "139****5678" in log.subject_label and "13912345678" not in log.subject_label
    carol = client_for(people["carol"])  # city staff: read-only, no reveal
    page = carol.get(change).content.decode()
    assert "139****5678" in page and reveal not in page
    assert carol.post(reveal).status_code == 403
    bob = client_for(people["bob"])  # another county: the wish does not exist for him
    assert "13912345678" not in bob.post(reveal, follow=True).content.decode()
    assert PersonalDataReveal.objects.count() == 1


def test_a_station_manager_reveals_the_mobile_of_his_stations_wish(regions, client_for, people):
    dave = people["dave"]
    wish = filed(StationFactory(managers=[dave]), mobile="13812345678")
    reveal = reverse("admin:employment_jobwish_reveal", args=[wish.pk])
    assert "13812345678" in client_for(dave).post(reveal).content.decode()
    assert PersonalDataReveal.objects.get().user == dave
    other = filed(StationFactory(), mobile="13712345678")
    response = client_for(dave).post(reverse("admin:employment_jobwish_reveal", args=[other.pk]), follow=True)
    assert "13712345678" not in response.content.decode()
