"""A worker applies from a phone (no account): the application is filed through the register service (status
"applied", source worker), appears in the county's list, the worker gets a reference and follows the step,
and hears of each decision. Bad input is refused beside the field, with nothing written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hardship.models import Evidence, Household, HouseholdStatus, Source
from hardship.selectors.lists import households_reached
from hardship.services import household_approve, household_notice_start, household_review, household_visit
from tests.hardship.factories import grassroots, household, resident_id
from tests.stations.factories import StationFactory
from unionhub.models import Message

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def union(regions):
    return grassroots("140521")


def form(chosen, **fields):
    return {
        "union": chosen.pk,
        "head_name": "郭桂兰",
        "resident_id": resident_id("140521"),
        "mobile": "139 1234 5678",
        "people_count": "3",
        "income_per_head": "600",
        "cause": "illness",
        "account": "丈夫重病住院，家中只有我一人打零工。",
        "evidence_kind": "medical",
        "consent": "on",
        **fields,
    }


def test_a_worker_applies_and_the_county_sees_it(client, union, alice, qinshui):
    page = client.get(reverse("hardship:apply"))
    assert page.status_code == 200 and union.name in page.content.decode()
    upload = SimpleUploadedFile("诊断证明 郭桂兰.png", PNG, "image/png")
    response = client.post(reverse("hardship:apply"), {**form(union), "evidence": [upload]})
    assert response.status_code == 302
    home = Household.objects.get()
    assert response["Location"] == reverse("hardship:applied", args=[home.reference])
    assert (home.status, home.source, home.mobile, home.county) == ("applied", Source.WORKER, "13912345678", "140521")
    assert home.annual_income == 600 * 12 * 3 and home.layer == "deep" and home.consent_at is not None
    assert home.events.get().step == "apply"
    [evidence] = home.evidence.all()
    assert (evidence.kind, evidence.content_type) == ("medical", "image/png") and "郭桂兰" not in evidence.file.name
    assert households_reached(alice).filter(pk=home.pk, status="applied").exists()
    [message] = Message.objects.filter(template="hardship.application_filed", channel="console")
    assert home.reference in message.text and "受理编号" in message.text
    done = client.get(response["Location"]).content.decode()
    assert home.reference in done and "编号" in done


def test_the_worker_follows_the_steps_and_is_told_each_decision(client, union, alice):
    client.post(reverse("hardship:apply"), form(union))
    home = Household.objects.get()
    household_visit(household=home, record="走访属实", user=alice)
    household_review(household=home, passed=True, record="评议通过", user=alice)
    household_notice_start(household=home, starts=dt.date.today() - dt.timedelta(days=8), user=alice)
    household_approve(household=home, user=alice)
    told = Message.objects.filter(template="hardship.application_step", channel="console").order_by("pk")
    assert [m.params["step"] for m in told] == [
        "已完成入户走访",
        "已通过民主评议，即将公示",
        "公示中",
        "县总工会已审批，您的家庭已建档",
    ]
    page = client.post(reverse("hardship:status"), {"reference": home.reference.lower(), "mobile": "13912345678"})
    text = page.content.decode()
    assert page.status_code == 200 and "✓ 在档" in text and home.resident_id not in text


def test_staff_filed_households_are_not_messaged(union, alice):
    home = household(status=HouseholdStatus.APPLIED, filed_on=None, union=union)
    household_visit(household=home, record="走访", user=alice)
    assert not Message.objects.filter(template="hardship.application_step").exists()


def test_a_wrong_mobile_finds_nothing(client, union):
    client.post(reverse("hardship:apply"), form(union))
    home = Household.objects.get()
    response = client.post(reverse("hardship:status"), {"reference": home.reference, "mobile": "13800000000"})
    assert response.status_code == 404 and "没有与此受理编号和手机号相符的申请" in response.content.decode()
    assert client.get(reverse("hardship:applied", args=["O0O0O0O0"])).status_code == 404


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"resident_id": "140521198001010000"}, "resident_id", "身份证"),
        ({"consent": ""}, "consent", "请先同意个人信息使用说明"),
        ({"account": "   "}, "account", ""),
        ({"union": ""}, "union", ""),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(client, union, fields, field, message):
    response = client.post(reverse("hardship:apply"), form(union, **fields))
    text = response.content.decode()
    assert response.status_code == 400 and f'id="{field}-error"' in text and message in text
    assert not Household.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("证明.png", b"<html>not a photo</html>", "image/png"), "不是照片"),
        (SimpleUploadedFile("大图.jpg", b"\xff\xd8\xff" + b"0" * 3000, "image/jpeg"), "超过"),
    ],
)
def test_a_fake_or_too_large_file_is_refused_and_nothing_is_written(client, union, settings, upload, message):
    settings.CASEWORK_MAX_ATTACHMENT_BYTES = 2048
    response = client.post(reverse("hardship:apply"), {**form(union), "evidence": [upload]})
    text = response.content.decode()
    assert response.status_code == 400 and 'id="evidence-error"' in text and message in text
    assert not Household.objects.exists() and not Evidence.objects.exists()


def test_three_files_are_too_many(client, union):
    files = [SimpleUploadedFile(f"{n}.pdf", PDF, "application/pdf") for n in range(3)]
    response = client.post(reverse("hardship:apply"), {**form(union), "evidence": files})
    assert response.status_code == 400 and "最多" in response.content.decode()
    assert not Household.objects.exists()


def test_a_household_on_file_in_another_county_reads_only_elsewhere(client, union):
    other = household("140522")
    response = client.post(reverse("hardship:apply"), form(union, resident_id=other.resident_id))
    text = response.content.decode()
    assert response.status_code == 400 and "已在其他地区建档" in text and other.head_name not in text
    assert "阳城" not in text.split('id="resident_id-error"')[1].split("</p>")[0]
    assert Household.objects.count() == 1


def test_the_form_is_rate_limited_per_address(client, union, settings):
    settings.CASEWORK_FILE_RATE_PER_IP = "1/m"
    assert client.post(reverse("hardship:apply"), form(union)).status_code == 302
    assert client.post(reverse("hardship:apply"), form(union)).status_code == 429
    assert Household.objects.count() == 1


def test_a_mistake_does_not_count_against_the_limit(client, union, settings):
    settings.CASEWORK_FILE_RATE_PER_IP = "1/m"
    assert client.post(reverse("hardship:apply"), form(union, consent="")).status_code == 400
    assert client.post(reverse("hardship:apply"), form(union)).status_code == 302


def test_the_station_page_and_the_notice_link_to_the_form(client, union):
    station = StationFactory()
    page = client.get(reverse("stations:detail", args=[station.code])).content.decode()
    assert f"{reverse('hardship:apply')}?station={station.code}" in page
    apply_page = client.get(reverse("hardship:apply"), {"station": station.code}).content.decode()
    assert union.name in apply_page
    assert reverse("hardship:apply") in client.get(reverse("hardship:notice")).content.decode()
