"""Background member exports: the filtered list, masked as in the direct export, streamed, with progress."""

import csv
import io

import pytest
from django.urls import reverse

from membership.models import ExportStatus, MemberExport, PersonalDataReveal
from membership.services import exports
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import MemberFactory, union_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(regions):
    union = union_in(QINSHUI, name="沁水县顺达货运有限公司工会")
    other = union_in(YANGCHENG, name="阳城县某公司工会")
    here = [MemberFactory(union=union, status="active") for _ in range(5)]
    MemberFactory(union=union, status="lapsed")
    MemberFactory(union=other)
    return here


def read_csv(export):
    with export.file.open("rb") as handle:
        return list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))


def test_it_exports_the_filtered_list_inside_the_scope_with_progress(alice, members, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    export = MemberExport.objects.create(requested_by=alice, region_id=QINSHUI, query="status=active",
                                         file_format="csv", revealed=True)  # fmt: skip
    seen = []
    exports.member_export_run(export=export, progress=lambda done, total: seen.append((done, total)))
    export.refresh_from_db()
    rows = read_csv(export)
    assert export.status == ExportStatus.DONE and export.done == export.total == 5
    assert len(rows) == 6  # the header and the five active members of 沁水县, not 阳城县's, not the lapsed one
    assert {row[2] for row in rows[1:]} == {m.resident_id for m in members}  # alice may reveal: full numbers
    assert seen[-1] == (5, 5)
    assert PersonalDataReveal.objects.filter(user=alice, subject="export", count=5).exists()


def test_without_the_reveal_permission_the_numbers_are_masked_and_nothing_is_logged(carol, members, settings,
                                                                                     tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = str(tmp_path)
    export = MemberExport.objects.create(requested_by=carol, region_id="1405", query="", file_format="xlsx")
    exports.member_export_run(export=export)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.total == 7
    from openpyxl import load_workbook

    with export.file.open("rb") as handle:
        sheet = load_workbook(handle, read_only=True).active
        ids = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(ids) == 7 and all("*" in value for value in ids)
    assert not PersonalDataReveal.objects.filter(user=carol).exists()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_it_is_started_from_the_member_list_and_downloaded_by_the_requester(
    alice, bob, client_for, members, media, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    page = client.get(reverse("admin:membership_member_changelist"), {"status": "active"}).content.decode()
    assert 'id="export-job-link"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:membership_member_export_job"), {"query": "status=active", "_fmt": "csv"})
    assert response.status_code == 302
    export = MemberExport.objects.get()
    assert export.status == ExportStatus.DONE and export.total == 5  # Celery runs eagerly in the tests
    listing = client.get(reverse("admin:membership_memberexport_changelist")).content.decode()
    download = reverse("admin:membership_memberexport_download", args=[export.pk])
    assert download in listing
    assert client.get(download).status_code == 200
    assert client_for(bob).get(download).status_code == 404  # another county's staff: as if missing
