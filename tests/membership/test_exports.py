"""Background member exports: a job of the one job mechanism, the filtered and searched list inside the
requester's scope, masked as in the direct export, streamed, downloaded by the requester alone."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from membership.models import MemberExport, PersonalDataReveal
from membership.services import exports
from tests import spreadsheet_checks as checks
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import MemberFactory, union_in
from unionhub.models import Job, JobStatus

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:membership_member_changelist")
START = reverse("admin:membership_member_export_job")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def members(regions):
    union = union_in(QINSHUI, name="沁水县顺达货运有限公司工会")
    other = union_in(YANGCHENG, name="阳城县某公司工会")
    here = [MemberFactory(union=union, status="active") for _ in range(5)]
    MemberFactory(union=union, status="lapsed")
    MemberFactory(union=other)
    return here


def read_csv(export):
    """The rows as Excel shows them: the tab that keeps a long number text is not part of the value."""
    with export.file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return [[cell.removeprefix("\t") for cell in row] for row in csv.reader(io.StringIO(text))]


def request_and_run(user, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):  # Celery runs eagerly in the tests
        export = exports.member_export_request(user=user, **kwargs)
    export.refresh_from_db()
    return export


def test_it_is_a_job_that_exports_the_filtered_list_inside_the_scope(
    alice, members, django_capture_on_commit_callbacks
):
    export = request_and_run(alice, django_capture_on_commit_callbacks, query="status__exact=active&p=3",
                             file_format="csv")  # fmt: skip
    job = export.job
    assert job.kind == exports.EXPORT_JOB and job.status == JobStatus.DONE and job.target == export
    assert job.created_by == alice and job.region_id == QINSHUI
    assert job.done == job.total == 5 and job.result["rows"] == 5
    rows = read_csv(export)
    assert len(rows) == 6  # the header and the five active members of 沁水县, not 阳城县's, not the lapsed one
    assert export.query == "status__exact=active"  # the page number is not a filter
    assert {row[2] for row in rows[1:]} == {m.resident_id for m in members}  # alice may reveal: full numbers
    assert PersonalDataReveal.objects.filter(user=alice, subject="export", count=5).exists()


def test_without_the_reveal_permission_the_numbers_are_masked_and_nothing_is_logged(
    carol, members, django_capture_on_commit_callbacks
):
    export = request_and_run(carol, django_capture_on_commit_callbacks, query="", file_format="xlsx")
    assert export.job.status == JobStatus.DONE and export.rows == 7  # carol reads both counties
    with export.file.open("rb") as handle:
        sheet = load_workbook(handle, read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
    ids, mobiles = [row[2] for row in rows[1:]], [row[5] for row in rows[1:]]
    assert len(ids) == 7 and all("*" in value for value in ids + mobiles)
    assert not PersonalDataReveal.objects.filter(user=carol).exists()


def test_an_export_asked_for_without_the_permission_stays_masked(alice, members, django_capture_on_commit_callbacks):
    export = MemberExport.objects.create(created_by=alice, region_id=QINSHUI, file_format="csv", revealed=False)
    exports.member_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert all("*" in row[2] for row in read_csv(export)[1:])
    assert not PersonalDataReveal.objects.filter(user=alice).exists()


def test_it_re_applies_the_private_search(alice, members, django_capture_on_commit_callbacks):
    wanted = members[2]
    export = request_and_run(alice, django_capture_on_commit_callbacks, query="", file_format="csv",
                             search=wanted.resident_id.lower())  # fmt: skip
    assert [row[2] for row in read_csv(export)[1:]] == [wanted.resident_id]


def test_it_is_started_from_the_member_list_and_downloaded_by_the_requester_alone(
    alice, bob, root, client_for, members, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    location = client.post(f"{MEMBERS}?status__exact=active", {"q": members[0].mobile, "_uh_search": "1"})["Location"]
    page = client.get(location).content.decode()
    assert 'id="export-job-link"' in page
    query = location.split("?", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START, {"query": query, "_fmt": "csv"})
    assert response.status_code == 302
    export = MemberExport.objects.get()
    assert export.search == members[0].mobile and "q_token" not in export.query  # the token means nothing later
    assert export.job.status == JobStatus.DONE and export.rows == 1
    listing = client.get(reverse("admin:membership_memberexport_changelist")).content.decode()
    download = reverse("admin:membership_memberexport_download", args=[export.pk])
    assert download in listing and members[0].mobile not in listing  # the search term is shown masked
    response = client.get(download)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert members[0].mobile in b"".join(response.streaming_content).decode("utf-8-sig")
    assert client_for(bob).get(download).status_code == 302  # another county's staff: as if missing
    assert client_for(root).get(download).status_code == 403  # a superuser sees it, but it is not theirs


def test_the_start_is_a_post_and_needs_the_export_permission(dave, client_for, members):
    assert client_for(dave).post(START, {"_fmt": "csv"}).status_code == 403
    assert not Job.objects.exists()


@pytest.mark.postgres
def test_on_postgresql_the_rows_stream_through_a_server_side_cursor(alice, members, django_capture_on_commit_callbacks):
    export = request_and_run(alice, django_capture_on_commit_callbacks, query="", file_format="xlsx")
    assert export.job.status == JobStatus.DONE and export.rows == 6


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_file_keeps_numbers_as_text_neutralises_formulas_and_speaks_chinese(
    file_format, alice, regions, django_capture_on_commit_callbacks
):
    member = MemberFactory(union=union_in(QINSHUI), employer='=HYPERLINK("http://x")', name="王芳")
    assert len(member.resident_id) == 18 and len(member.card_number) >= 16
    export = request_and_run(alice, django_capture_on_commit_callbacks, query="", file_format=file_format)
    with export.file.open("rb") as handle:
        content = handle.read()
    numbers = (member.resident_id, member.card_number, member.mobile)  # alice may reveal: full numbers
    if file_format == "csv":
        rows = checks.csv_rows(content)
        checks.assert_csv_text(rows, *numbers)
        assert '\'=HYPERLINK("http://x")' in rows[1]
        checks.assert_chinese(rows[0], "会员")
    else:
        sheet = checks.open_xlsx(content).active
        checks.assert_xlsx_text(sheet, *numbers)
        assert checks.cell_holding(sheet, '\'=HYPERLINK("http://x")').data_type == "s"
        checks.assert_chinese([cell.value for cell in sheet[1]], sheet.title)
        assert sheet.title == "会员" and sheet.freeze_panes == "A2"
