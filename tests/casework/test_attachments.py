"""Staff download a request's attachments: within their scope and with the permission; another county's
staff get "not found"; photos open inline, PDFs are always downloads."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.casework.factories import file_request
from tests.factories import UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def request_with_files(unions):
    files = [
        SimpleUploadedFile("工资条 王师傅.png", PNG, "image/png"),
        SimpleUploadedFile("合同.pdf", PDF, "text/html"),
    ]
    return file_request(employer_name=unions["grassroots"].employer, attachments=files)


def url(attachment):
    return reverse("admin:casework_workerrequest_attachment_download", args=[attachment.pk])


def test_it_shows_county_staff_a_photo_inline_and_gives_a_pdf_as_a_download(client_for, alice, request_with_files):
    photo, pdf = request_with_files.attachments.order_by("pk")
    client = client_for(alice)
    response = client.get(url(photo))
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("inline")
    assert f"{request_with_files.reference}-1.png" in response["Content-Disposition"]  # not the worker's name
    assert response["X-Content-Type-Options"] == "nosniff"
    response = client.get(url(pdf))
    assert response["Content-Type"] == "application/pdf"  # by content, not the browser's word (text/html)
    assert response["Content-Disposition"].startswith("attachment")


def test_it_links_the_files_from_the_request_page(client_for, alice, request_with_files):
    page = client_for(alice).get(reverse("admin:casework_workerrequest_change", args=[request_with_files.pk]))
    for attachment in request_with_files.attachments.all():
        assert url(attachment) in page.content.decode()
    assert "/media/" not in page.content.decode()


def test_it_answers_not_found_to_another_countys_staff(client_for, bob, request_with_files):
    assert client_for(bob).get(url(request_with_files.attachments.first())).status_code == 404


def test_it_refuses_a_user_without_the_permission(client, unions, request_with_files):
    from casework.models import UnionHandler

    chair = UserFactory(username="chair")  # a union's handler, so in scope, but with no role
    UnionHandler.objects.create(union=request_with_files.holder, user=chair, is_default=False)
    client.force_login(chair, backend="django.contrib.auth.backends.ModelBackend")
    attachment = request_with_files.attachments.first()
    assert client.get(url(attachment)).status_code == 403
    chair.user_permissions.add(Permission.objects.get(codename="view_requestattachment"))
    chair = type(chair).objects.get(pk=chair.pk)
    client.force_login(chair, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url(attachment)).status_code == 200


def test_it_answers_not_found_to_a_station_manager_of_another_station(client_for, dave, request_with_files):
    assert client_for(dave).get(url(request_with_files.attachments.first())).status_code == 404
