"""Evidence documents: county staff add them in the household's admin page (checked by content, too large
or fake refused beside the field, nothing stored); the file is served only through the scoped download -
another county's staff get "not found", the city reads, an anonymous visitor is sent to log in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hardship.models import Evidence
from hardship.services.evidence import evidence_add
from tests.admin_forms import change_form_data
from tests.hardship.factories import household

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def home(regions):
    return household(head_name="郭桂兰")


def download(evidence):
    return reverse("admin:hardship_household_evidence_download", args=[evidence.pk])


def post_with_document(client, home, upload, kind="income"):
    url = reverse("admin:hardship_household_change", args=[home.pk])
    data = change_form_data(client, url)
    n = int(data["evidence-TOTAL_FORMS"][0])
    data.update({"evidence-TOTAL_FORMS": [str(n + 1)], f"evidence-{n}-kind": [kind], f"evidence-{n}-file": [upload]})
    return client.post(url, data)


def test_county_staff_add_a_document_in_the_admin(client_for, alice, home):
    client = client_for(alice)
    response = post_with_document(client, home, SimpleUploadedFile("收入证明 郭桂兰.pdf", PDF, "text/html"))
    assert response.status_code == 302, response.content.decode()[:3000]
    [evidence] = home.evidence.all()
    assert (evidence.kind, evidence.content_type, evidence.added_by) == ("income", "application/pdf", alice)
    page = client.get(reverse("admin:hardship_household_change", args=[home.pk])).content.decode()
    assert download(evidence) in page and "/media/" not in page
    response = client.get(download(evidence))
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment") and "郭桂兰" not in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("content", "message"), [(b"<script>alert(1)</script>", "不是照片"), (b"\x89PNG\r\n\x1a\n" + b"0" * 4000, "超过")]
)
def test_a_fake_or_too_large_document_is_refused_beside_the_field(client_for, alice, home, settings, content, message):
    settings.CASEWORK_MAX_ATTACHMENT_BYTES = 2048
    response = post_with_document(client_for(alice), home, SimpleUploadedFile("证明.png", content, "image/png"))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_download_is_scoped(client, client_for, alice, bob, carol, home):
    evidence = evidence_add(household=home, upload=SimpleUploadedFile("x.png", PNG, "image/png"), kind="medical")
    response = client_for(alice).get(download(evidence))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    assert client_for(bob).get(download(evidence)).status_code == 404
    assert client_for(carol).get(download(evidence)).status_code == 200  # the city reads below it
    client.logout()
    anonymous = client.get(download(evidence))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_deleting_the_household_removes_its_files(home, django_capture_on_commit_callbacks):
    evidence = evidence_add(household=home, upload=SimpleUploadedFile("x.png", PNG, "image/png"))
    storage, name = evidence.file.storage, evidence.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        home.delete()
    assert not storage.exists(name)
