"""The employer list import as jobs: the check's preview with every error by row and column, all or nothing,
the same file again writing nothing, a changed file updating only its changed rows, the progress, the
Celery path through the admin pages, and who may do what."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from membership.models.roster import ImportMode, ImportStatus
from outreach.choices import Stage
from outreach.models import Employer, EmployerImport
from outreach.services import employer_list_create, employer_list_import_now
from outreach.services.employer_check import employer_list_check
from outreach.services.employer_write import employer_list_write
from tests.factories import UnionOrganizationFactory
from tests.outreach import factories as f
from unionhub.models import Job, Region
from unionhub.models.jobs import JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _csv(rows) -> bytes:
    lines = ["沁水县企业名录（市场监管局提供）", "统一社会信用代码,企业名称,乡镇,行业,职工人数,是否平台企业", *rows]
    return "\n".join(lines).encode("utf-8")


def _county(code="140521"):
    return Region.objects.get(code=code)


GOOD = [f"{f.code(10)},甲公司,嘉峰镇,酒类酿造,100,否", f"{f.code(11)},丙公司,嘉峰镇,,5,是"]


def test_all_or_nothing_with_every_error_by_row_and_column_in_chinese(alice):
    union = UnionOrganizationFactory(credit_code=f.code(10))
    bad = _csv([GOOD[0], "91140521MA0000001X,乙公司,嘉峰镇,,5,是", f"{f.code(11)},丙公司,火星镇,,五,否"])
    batch = employer_list_import_now(data=bad, filename="名录.csv", county=_county(), by=alice)
    assert batch.status == ImportStatus.REFUSED and not Employer.objects.exists()
    assert batch.errors == 2 and batch.rows == 3
    assert batch.problems == [
        {"row": 4, "column": "A", "header": "统一社会信用代码", "message": "统一社会信用代码的校验码不正确，请核对。"},
        {"row": 5, "column": "C", "header": "乡镇", "message": "“火星镇”不是沁水县的乡镇。"},
        {"row": 5, "column": "E", "header": "职工人数", "message": "“五”不是有效的职工人数。"},
    ]
    batch = employer_list_import_now(data=_csv(GOOD), filename="名录.csv", county=_county(), by=alice)
    assert batch.status == ImportStatus.DONE and (batch.created, batch.matched) == (2, 1)
    matched = Employer.objects.get(credit_code=f.code(10))
    assert matched.union == union and matched.stage == Stage.FOUNDED and matched.industry == "liquor"
    assert Employer.objects.get(credit_code=f.code(11)).is_platform
    assert matched.history.get().history_user == alice


def test_valid_rows_only_writes_the_good_rows(alice):
    rows = [*GOOD, "91140521MA0000001X,乙公司,嘉峰镇,,5,是"]
    batch = employer_list_import_now(data=_csv(rows), filename="名录.csv", county=_county(), by=alice, partial=True)
    assert batch.status == ImportStatus.DONE and batch.created == 2 and batch.errors == 1
    assert Employer.objects.count() == 2


def test_the_same_file_again_writes_nothing_and_a_changed_file_updates_only_its_changes(alice):
    rows = [f"{f.code(100 + i)},企业{i},嘉峰镇,制造业,{10 + i},否" for i in range(30)]
    employer_list_import_now(data=_csv(rows), filename="a.csv", county=_county(), by=alice)
    history = Employer.history.model.objects.count()
    assert Employer.objects.count() == 30 and history == 30
    again = employer_list_import_now(data=_csv(rows), filename="a.csv", county=_county(), by=alice)
    assert (again.status, again.written, again.unchanged, again.created) == (ImportStatus.DONE, 0, 30, 0)
    assert Employer.history.model.objects.count() == history  # nothing written, not even history
    union = UnionOrganizationFactory(credit_code=f.code(105))  # founded since: linked by the re-import
    rows[3] = rows[3].replace(",13,", ",99,")
    changed = employer_list_import_now(data=_csv(rows), filename="b.csv", county=_county(), by=alice)
    assert (changed.updated, changed.unchanged, changed.created) == (2, 28, 0)
    assert Employer.objects.get(credit_code=f.code(103)).workers == 99
    linked = Employer.objects.get(credit_code=f.code(105))
    assert linked.union == union and linked.stage == Stage.FOUNDED
    assert Employer.history.model.objects.count() == history + 2


def test_refused_in_chinese_a_code_of_another_county_and_a_name_registered_under_another_code(alice):
    f.employer(town="140522102", credit_code=f.code(20, "140522"), name="阳城某公司")
    f.employer(name="嘉峰老店", credit_code=f.code(21))
    rows = [f"{f.code(20, '140522')},阳城某公司,嘉峰镇,,5,否", f"{f.code(22)},嘉峰老店,嘉峰镇,,5,否"]
    batch = employer_list_import_now(data=_csv(rows), filename="c.csv", county=_county(), by=alice)
    assert batch.status == ImportStatus.REFUSED and batch.errors == 2
    messages = [p["message"] for p in batch.problems]
    assert messages == [
        "该信用代码已在其他县登记。",
        f"“嘉峰老店”已在本乡镇以信用代码 {f.code(21)} 登记。",
    ]
    assert Employer.objects.count() == 2 and Employer.objects.get(name="阳城某公司").town_id == "140522102"


def _xlsx(rows: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("名录")
    sheet.append(["统一社会信用代码", "企业名称", "乡镇", "职工人数"])
    for i in range(rows):
        sheet.append([f.code(1000 + i), f"企业{i}", "嘉峰镇", 5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_progress_of_both_jobs_moves_at_least_every_2_percent(alice):
    reports = []

    def progress(done, total=None, stage=None):
        reports.append((done, total))

    upload = SimpleUploadedFile("big.xlsx", _xlsx(3000))
    batch = employer_list_create(file=upload, by=alice, county=_county())
    batch = employer_list_check(batch=batch, progress=progress)
    assert batch.status == ImportStatus.PREVIEWED and batch.created == 3000
    total = reports[0][1]
    assert total == 3000  # the sheet's rows below the header, from the file, before reading them
    done = [d for d, t in reports if t == total]
    assert max(b - a for a, b in zip(done, done[1:], strict=False)) <= total // 50
    reports.clear()
    EmployerImport.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING)
    batch = employer_list_write(batch=batch, by=alice, progress=progress)
    assert batch.status == ImportStatus.DONE and Employer.objects.count() == 3000
    percents = [d for d, _t in reports]
    assert percents[-1] == 100 and max(b - a for a, b in zip(percents, percents[1:], strict=False)) <= 2


def test_through_the_admin_and_celery_upload_check_preview_confirm_result(
    alice, client_for, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    rows = [*GOOD, "91140521MA0000001X,乙公司,嘉峰镇,,5,是"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:outreach_employerimport_add"),
            {"county": "140521", "file": SimpleUploadedFile("名录.csv", _csv(rows))},
        )
    assert response.status_code == 302
    batch = EmployerImport.objects.get()
    job = Job.objects.get(pk=batch.job_id)
    assert (job.kind, job.status, batch.status) == ("outreach.employer_check", JobStatus.DONE, ImportStatus.PREVIEWED)
    page = client.get(response["Location"])
    assert b'<strong data-count="created">2</strong>' in page.content and page.context["may_confirm"]
    assert "统一社会信用代码的校验码不正确" in page.content.decode() and not Employer.objects.exists()
    url = reverse("admin:outreach_employerimport_confirm", args=[batch.pk])
    refused = client.post(url, {"mode": ImportMode.ALL_OR_NOTHING}, follow=True)
    assert "1 行有错误" in refused.content.decode() and not Employer.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"mode": ImportMode.VALID_ONLY})
    batch.refresh_from_db()
    assert (batch.status, batch.created) == (ImportStatus.DONE, 2) and Employer.objects.count() == 2
    assert Job.objects.get(pk=batch.job_id).kind == "outreach.employer_import"
    assert client.get(reverse("admin:outreach_employerimport_progress", args=[batch.pk])).json()["running"] is False
    assert "2 家用人单位已写入名录" in client.get(response["Location"]).content.decode()


def test_bad_uploads_are_refused_beside_the_field_with_nothing_written(alice, client_for):
    client = client_for(alice)
    url = reverse("admin:outreach_employerimport_add")
    page = client.post(url, {"county": "140521", "file": SimpleUploadedFile("名录.pdf", b"%PDF-1.4")})
    assert "请上传 XLSX、XLS 或 CSV 文件" in page.content.decode()
    page = client.post(url, {"county": "140522", "file": SimpleUploadedFile("名录.csv", _csv(GOOD))})
    assert page.status_code == 200 and "选择一个有效的选项" in page.content.decode()
    assert not EmployerImport.objects.exists()


def test_who_may_see_upload_and_confirm(alice, bob, carol, dave, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(
            reverse("admin:outreach_employerimport_add"),
            {"county": "140521", "file": SimpleUploadedFile("名录.csv", _csv(GOOD))},
        )
    batch = EmployerImport.objects.get()
    page = reverse("admin:outreach_employerimport_change", args=[batch.pk])
    confirm = reverse("admin:outreach_employerimport_confirm", args=[batch.pk])
    assert client_for(bob).get(page).status_code == 302  # out of scope: as if it did not exist
    assert client_for(carol).get(page).status_code == 200  # the city reads
    assert not client_for(carol).get(page).context["may_confirm"]
    assert client_for(carol).get(reverse("admin:outreach_employerimport_add")).status_code == 403
    assert client_for(carol).post(confirm, {"mode": "all"}).status_code == 403
    assert client_for(dave).get(page).status_code == 403
    assert client_for(bob).post(confirm, {"mode": "all"}).status_code == 302
    assert not Employer.objects.exists() and EmployerImport.objects.get().status == ImportStatus.PREVIEWED
