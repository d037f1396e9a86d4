"""The issue's "Bad input": missing consent, an impossible date, an oversized or wrong-type attachment, more
agreed than claimed without a reason, a case closed without an outcome. Each gets a message in Chinese beside
its field, and nothing is written."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import ClaimItem, MediationCase, RequestAttachment, WorkerRequest
from casework.services import mediation
from tests.casework.factories import mediation_station
from tests.casework.test_public import PNG, form_data

CJK = re.compile(r"[\u4e00-\u9fff]")


def field_message(html: str, field: str) -> str:
    """The message inside the public form's field block ``data-field=<field>``."""
    block = re.search(rf'data-field="{field}".*?</div>', html, re.S)
    assert block, f"no field {field}"
    message = re.search(r'class="field-message"[^>]*>(.*?)</p>', block.group(0), re.S)
    assert message, f"no message beside {field}"
    return message.group(1)


def chinese(text: str) -> bool:
    """Chinese, with no English words left (file names quoted “…” and the format names aside)."""
    rest = re.sub(r"“[^”]*”", "", text).replace("JPEG", "").replace("PNG", "").replace("PDF", "")
    return bool(CJK.search(text)) and not re.search(r"[A-Za-z]{3,}", rest)


@pytest.fixture
def station(unions):
    return mediation_station(code="140521104-L-009")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def file_url(station):
    return reverse("casework:file") + f"?station={station.code}"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"consent": None}, "consent", "个人信息"),
        (
            {"attachments": [SimpleUploadedFile("合同.docx", b"PK\x03\x04 word", "application/pdf")]},
            "attachments",
            "不是",
        ),
        ({"attachments": [SimpleUploadedFile("大.png", PNG + b"\0" * 4096, "image/png")]}, "attachments", "超过"),
    ],
)
def test_the_public_form_says_what_is_wrong_beside_the_field_and_writes_nothing(
    client, station, settings, media, overrides, field, words
):
    settings.CASEWORK_MAX_ATTACHMENT_BYTES = 2048
    ok = {"attachments": [SimpleUploadedFile("工资条.png", PNG, "image/png")]}
    response = client.post(file_url(station), form_data(**{**ok, **overrides}))
    assert response.status_code == 400
    message = field_message(response.content.decode(), field)
    assert words in message and chinese(message), message
    assert not WorkerRequest.objects.exists() and not RequestAttachment.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))  # not even the good file


def case_form(station, **overrides):
    data = {
        "station": station.pk,
        "source": "desk",
        "category": "wages",
        "summary": "欠薪",
        "received_on": "2026-09-20",
        "status": "open",
        "closed_on": "",
        "outcome_note": "",
        **{
            f"{prefix}-{key}": value
            for prefix in ("parties", "claims", "mediators", "meetings")
            for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
        },
    }
    data.update(overrides)
    return data


def form_errors(response) -> dict:
    assert response.status_code == 200, response.status_code  # the form again, not a redirect
    return response.context["adminform"].form.errors


def test_an_impossible_date_is_refused_beside_the_field(client_for, alice, unions):
    station = mediation_station()
    response = client_for(alice).post(
        reverse("admin:casework_mediationcase_add"), case_form(station, received_on="2026-02-30")
    )
    [message] = form_errors(response)["received_on"]
    assert chinese(message), message
    assert not MediationCase.objects.exists()


def test_a_case_cannot_close_before_it_was_received(client_for, alice, unions):
    station = mediation_station()
    case = mediation.mediation_open(station=station, category="wages", summary="欠薪", received_on=_d("2026-09-20"))
    response = client_for(alice).post(
        reverse("admin:casework_mediationcase_change", args=[case.pk]),
        case_form(station, status="withdrawn", closed_on="2026-09-01"),
    )
    [message] = form_errors(response)["closed_on"]
    assert chinese(message), message
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("open", None)


def test_a_case_closed_without_an_outcome_is_refused_in_chinese(client_for, alice, unions):
    station = mediation_station()
    case = mediation.mediation_open(station=station, category="wages", summary="欠薪", received_on=_d("2026-09-20"))
    response = client_for(alice).post(
        reverse("admin:casework_mediationcase_change", args=[case.pk]), case_form(station, closed_on="2026-09-30")
    )
    [message] = form_errors(response)["status"]
    assert "结果" in message or chinese(message), message
    case.refresh_from_db()
    assert case.closed_on is None


def test_more_agreed_than_claimed_needs_a_reason_beside_the_claim(client_for, alice, unions):
    station = mediation_station()
    data = case_form(
        station,
        **{
            "claims-TOTAL_FORMS": "1",
            "claims-0-description": "加班费",
            "claims-0-amount_claimed": "1000",
            "claims-0-amount_agreed": "1200",
            "claims-0-above_claim_reason": "",
        },
    )
    response = client_for(alice).post(reverse("admin:casework_mediationcase_add"), data)
    assert response.status_code == 200
    [claims] = [f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "claims"]
    [message] = claims.formset.forms[0].errors["above_claim_reason"]
    assert chinese(message), message
    assert message in response.content.decode()
    assert not MediationCase.objects.exists() and not ClaimItem.objects.exists()


def _d(text):
    import datetime as dt

    return dt.date.fromisoformat(text)
