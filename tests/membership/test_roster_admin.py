"""The roster import pages in the admin, and the member export's masking and formula rules."""

import io

import openpyxl
import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from membership.models import ImportMode, ImportStatus, Member, PersonalDataReveal, RosterImport
from tests.factories import QINSHUI
from tests.membership.factories import MemberFactory, resident_id, union_in

HEADER = "姓名,身份证号,手机号,所属工会"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def union(db):
    return union_in(QINSHUI, name="嘉峰煤矿工会")


def roster_file(*lines, name="roster.csv"):
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode())


def test_it_uploads_previews_confirms_and_shows_the_result(
    alice, union, client_for, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    assert client.get(reverse("admin:membership_rosterimport_add")).status_code == 200
    good = resident_id()
    with django_capture_on_commit_callbacks(execute=True):  # the check job runs when the upload commits
        response = client.post(
            reverse("admin:membership_rosterimport_add"),
            {
                "file": roster_file(f"张伟,{good},13800000000,嘉峰煤矿工会", f"李娜,{resident_id()},12,嘉峰煤矿工会"),
                "mode": ImportMode.ALL_OR_NOTHING,
            },
        )
    roster = RosterImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{roster.pk}/change/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["may_confirm"]
    # row, (name), the column as the sheet shows it, the value as read
    assert [(p[0], p[2], p[3]) for p in page.context["problems"]] == [(3, "C列（手机号）", "12")]
    assert not Member.objects.exists()
    # All or nothing (the mode asked once, here) with an error: the button says why it is disabled.
    html = page.content.decode()
    assert 'name="_confirm" value="确认并导入" disabled' in html
    assert "已禁用" in html.split('id="roster-confirm-why"')[1].split("</p>")[0]
    assert [row.row_number for row in page.context["sample"]] == [2]
    assert "13800000000" not in html  # the sample's mobile is masked

    errors = client.get(reverse("admin:membership_rosterimport_errors", args=[roster.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(errors.content)).active
    assert sheet.max_row == 2 and sheet.cell(row=2, column=sheet.max_column).value == 3

    confirm = reverse("admin:membership_rosterimport_confirm", args=[roster.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm, {"mode": ImportMode.VALID_ONLY})["Location"].endswith(f"/{roster.pk}/change/")
    roster.refresh_from_db()
    assert roster.status == ImportStatus.DONE and roster.mode == ImportMode.VALID_ONLY
    assert list(Member.objects.values_list("resident_id", flat=True)) == [good]
    result = client.get(reverse("admin:membership_rosterimport_change", args=[roster.pk]))
    assert not result.context["may_confirm"]
    left_out = result.content.decode()
    assert 'id="roster-left-out-count"' in left_out and 'href="#roster-errors"' in left_out
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm, {"mode": ImportMode.VALID_ONLY})
    assert Member.objects.count() == 1


def test_all_or_nothing_confirmed_with_errors_writes_nothing(
    alice, union, client_for, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:membership_rosterimport_add"),
            {"file": roster_file(f"张伟,{resident_id()},,嘉峰煤矿工会", "李娜,123,,嘉峰煤矿工会"), "mode": "all"},
        )
    roster = RosterImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:membership_rosterimport_confirm", args=[roster.pk]), {"mode": "all"})
    roster.refresh_from_db()
    assert roster.status == ImportStatus.REFUSED and not Member.objects.exists()


def test_even_a_one_row_file_runs_as_a_job_with_progress(alice, union, client_for, django_capture_on_commit_callbacks):
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(
            reverse("admin:membership_rosterimport_add"),
            {"file": roster_file(f"张伟,{resident_id()},,嘉峰煤矿工会"), "mode": "all"},
        )
    roster = RosterImport.objects.get()
    page = client.get(reverse("admin:membership_rosterimport_change", args=[roster.pk]))
    assert b"job-progress" in page.content
    assert client.get(reverse("admin:membership_rosterimport_progress", args=[roster.pk])).json()["running"]
    for callback in queued:
        callback()
    progress = client.get(reverse("admin:membership_rosterimport_progress", args=[roster.pk])).json()
    assert progress["status"] == ImportStatus.PREVIEWED.label and progress["done"] == 1 and not progress["running"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:membership_rosterimport_confirm", args=[roster.pk]), {"mode": "all"})
    roster.refresh_from_db()
    assert roster.status == ImportStatus.DONE and Member.objects.count() == 1


def test_another_countys_import_behaves_as_missing(alice, bob, union, client_for):
    client_for(alice).post(
        reverse("admin:membership_rosterimport_add"),
        {"file": roster_file(f"张伟,{resident_id()},,嘉峰煤矿工会"), "mode": "all"},
    )
    roster = RosterImport.objects.get()
    client = client_for(bob)
    assert client.get(reverse("admin:membership_rosterimport_change", args=[roster.pk])).status_code == 302
    assert client.get(reverse("admin:membership_rosterimport_errors", args=[roster.pk])).status_code == 302
    assert client.get(reverse("admin:membership_rosterimport_progress", args=[roster.pk])).status_code == 302
    client.post(reverse("admin:membership_rosterimport_confirm", args=[roster.pk]), {"mode": "all"})
    assert not Member.objects.exists()


def test_read_only_staff_can_neither_upload_nor_download_the_template(carol, client_for, union):
    client = client_for(carol)
    assert client.get(reverse("admin:membership_rosterimport_add")).status_code == 403
    assert client.get(reverse("admin:membership_rosterimport_template")).status_code == 403


def test_the_template_downloads_as_xlsx(alice, client_for, union):
    response = client_for(alice).get(reverse("admin:membership_rosterimport_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "姓名" and sheet["B2"].number_format == "@"


def test_an_oversized_file_is_refused_before_reading(alice, client_for, union, settings):
    settings.ROSTER_MAX_UPLOAD_BYTES = 2048
    client = client_for(alice)
    big = SimpleUploadedFile("big.csv", b"x" * 4096)
    response = client.post(reverse("admin:membership_rosterimport_add"), {"file": big, "mode": "all"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not RosterImport.objects.exists()


# --- Member export (MemberAdmin, through django-import-export) ---------------------------------------------


def export(user, fmt="csv"):
    model_admin = site._registry[Member]
    request = RequestFactory().get("/")
    request.user = user
    data = model_admin.get_data_for_export(request, model_admin.get_export_queryset(request))
    return data if fmt == "dataset" else data.export(fmt)


def test_an_export_masks_ids_and_mobiles_for_users_who_may_not_reveal_them(carol, union):
    member = MemberFactory(union=union, mobile="13912345678")
    text = export(carol)
    assert member.resident_id not in text and "13912345678" not in text
    assert member.resident_id_masked in text and "139****5678" in text
    assert not PersonalDataReveal.objects.exists()


def test_a_full_export_is_logged_as_a_reveal(alice, union):
    member = MemberFactory(union=union)
    assert member.resident_id in export(alice)
    log = PersonalDataReveal.objects.get()
    assert (log.user, log.subject, log.count) == (alice, "export", 1)


def test_an_export_neutralises_formulas_and_keeps_ids_as_text(alice, union):
    member = MemberFactory(union=union, employer="=cmd|'/c calc'!A1", name="王芳")
    dataset = export(alice, "dataset")
    content = XLSX().export_data(dataset)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "'=cmd|'/c calc'!A1" in values and "=cmd|'/c calc'!A1" not in values
    assert member.resident_id in values  # a string cell: Excel shows all 18 characters


def test_the_error_workbook_holds_full_numbers_so_it_needs_the_reveal_permission_and_is_logged(
    alice, people, union, client_for, django_capture_on_commit_callbacks
):
    """Finding 1: an inspector (no membership permission) and city staff (no reveal) got the full numbers."""
    from membership.models import PersonalDataReveal

    bad_id = resident_id()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(
            reverse("admin:membership_rosterimport_add"),
            {"file": roster_file(f"张伟,{bad_id},1391234567,嘉峰煤矿工会"), "mode": "all"},  # a 10-digit mobile
        )
    roster = RosterImport.objects.get()
    url = reverse("admin:membership_rosterimport_errors", args=[roster.pk])
    for name in ("erin", "carol"):
        assert client_for(people[name]).get(url).status_code == 403, name
        assert client_for(people[name]).get(
            reverse("admin:membership_rosterimport_progress", args=[roster.pk])
        ).status_code == (403 if name == "erin" else 200)
    assert not PersonalDataReveal.objects.exists()
    download = client_for(alice).get(url)
    assert download.status_code == 200
    log = PersonalDataReveal.objects.get()
    assert (log.user, log.subject, log.count) == (alice, "export", roster.errors)
