"""The worker's journey through the Django test client: file by a station's QR code, follow, rate, reopen."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import WorkerRequest
from casework.services import handling
from tests.casework.factories import file_request, mediation_station

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def station(unions):
    return mediation_station(code="140521104-L-001")


def form_data(**overrides):
    data = {
        "category": "wages",
        "employer_name": "沁水县某建筑公司",
        "employer_credit_code": "",
        "description": "工地拖欠三个月工资。",
        "wanted": "结清工资。",
        "name": "王师傅",
        "mobile": "139 0000 1111",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_it_files_from_a_station_qr_code_and_shows_the_timeline(client, station):
    url = reverse("casework:file") + f"?station={station.code}"
    page = client.get(url)
    assert page.status_code == 200 and station.name in page.content.decode()
    response = client.post(url, form_data(attachments=[SimpleUploadedFile("工资条.png", PNG, "image/png")]))
    assert response.status_code == 302
    request = WorkerRequest.objects.get()
    assert request.station == station and request.mobile == "13900001111"
    assert request.attachments.get().content_type == "image/png"
    detail = client.get(response.url).content.decode()
    assert request.reference in detail and "沁水县" in detail
    assert "已收到您的诉求" in detail or "Your request was received" in detail


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": None}, "consent"),
        ({"mobile": "12345"}, "mobile"),
        ({"attachments": [SimpleUploadedFile("a.jpg", b"not really a jpeg", "image/jpeg")]}, "attachments"),
    ],
)
def test_it_shows_a_message_beside_the_field_and_writes_nothing(client, station, overrides, field):
    response = client.post(reverse("casework:file") + f"?station={station.code}", form_data(**overrides))
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.content.decode()
    assert not WorkerRequest.objects.exists()


def test_it_refuses_an_oversized_attachment(client, station, settings):
    settings.CASEWORK_MAX_ATTACHMENT_BYTES = 1024
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 2048, "image/png")
    response = client.post(reverse("casework:file") + f"?station={station.code}", form_data(attachments=[big]))
    assert response.status_code == 400 and 'id="attachments-error"' in response.content.decode()
    assert not WorkerRequest.objects.exists()


def test_it_refuses_more_than_three_files(client, station):
    files = [SimpleUploadedFile(f"{n}.png", PNG, "image/png") for n in range(4)]
    response = client.post(reverse("casework:file") + f"?station={station.code}", form_data(attachments=files))
    assert response.status_code == 400 and not WorkerRequest.objects.exists()


def test_it_asks_for_the_county_when_filed_directly(client, unions):
    response = client.post(reverse("casework:file"), form_data())
    assert response.status_code == 400 and 'id="county-error"' in response.content.decode()
    response = client.post(reverse("casework:file"), form_data(county="140521"))
    assert response.status_code == 302
    assert WorkerRequest.objects.get().holder == unions["county"]


def test_it_answers_a_wrong_mobile_exactly_like_a_missing_reference(client, unions):
    request = file_request(mobile="13800138000")
    wrong = client.post(reverse("casework:status"), {"reference": request.reference, "mobile": "13800138001"})
    missing = client.post(reverse("casework:status"), {"reference": "SXXXXXXXXX", "mobile": "13800138000"})
    assert wrong.status_code == missing.status_code == 404

    def plain(response):  # the echoed inputs and the CSRF token differ, nothing else may
        return re.sub(r'value="[^"]*"', "", response.content.decode())

    assert plain(wrong) == plain(missing) and 'id="not-found"' in plain(wrong)
    # and nobody reaches the detail page without the pair
    assert client.get(reverse("casework:detail", args=[request.reference])).status_code == 404


def test_it_lets_the_worker_rate_after_resolution_and_only_then(client, unions):
    request = file_request(mobile="13800138000")
    found = client.post(reverse("casework:status"), {"reference": request.reference.lower(), "mobile": "13800138000"})
    assert found.status_code == 302
    rate_url = reverse("casework:rate", args=[request.reference])
    assert client.post(rate_url, {"rating": "5"}).status_code == 400
    handling.request_resolve(request=request, by=None, resolution="工资已到账。")
    page = client.get(found.url).content.decode()
    assert 'id="rate-form"' in page and 'id="reopen-form"' in page and "工资已到账。" in page
    assert client.post(rate_url, {"rating": "4", "good": ["fast", "result"], "comment": "好"}).status_code == 302
    request.refresh_from_db()
    assert request.rating == 4 and request.rating_good == ["fast", "result"]


def test_it_reopens_at_the_workers_request(client, unions):
    request = file_request(mobile="13800138000")
    client.post(reverse("casework:status"), {"reference": request.reference, "mobile": "13800138000"})
    handling.request_resolve(request=request, by=None, resolution="已答复。")
    response = client.post(reverse("casework:reopen", args=[request.reference]), {"reason": "钱还没到账"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted" and request.reopen_count == 1


def test_it_rate_limits_the_status_page(client, unions, settings):
    settings.CASEWORK_STATUS_RATE_PER_IP = "2/m"
    for _ in range(2):
        client.post(reverse("casework:status"), {"reference": "SXXXXXXXXX", "mobile": "13800138000"})
    assert (
        client.post(reverse("casework:status"), {"reference": "SXXXXXXXXX", "mobile": "13800138000"}).status_code == 429
    )
