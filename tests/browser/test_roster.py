"""County staff import rosters in the browser, on the embedded default's job runner (a background thread):
the upload and each confirm return at once, the progress display reloads the page on the outcome.

* The simple path: upload, preview with an error, confirm the valid rows, the result.
* A roster as a union sends it: a title row, an annotated header that maps to nothing and an extra column.
  Alice maps the one to 手机号 and ignores the other, sees the check run again (now with the phone
  numbers' errors), finds "all or nothing" disabled with the reason, imports only the valid rows, is told
  how many were left out, and the members are written row by row.
* A roster made by hand (a merged two-row header, a hidden row, blank join dates): the preview shows what
  will be written, at 1366×768 (the screenshot the issue asks for)."""

import datetime as dt

import openpyxl
import pytest

from membership.choices import Occupation
from membership.models import Member, RosterImport
from tests.browser.conftest import admin_login
from tests.factories import QINSHUI
from tests.membership.factories import resident_id, union_in
from unionhub.models import Job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNION = "嘉峰煤矿工会"
SLOW = 60_000  # a job's outcome: the page reloads itself when the job ends


@pytest.fixture(autouse=True)
def _embedded_default(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.JOB_RUNNER = "thread"  # as `make run`: jobs in a thread of the web process


def test_county_staff_upload_preview_confirm_and_see_the_result(live_server, desk, people, tmp_path):
    union_in(QINSHUI, name=UNION)
    good = [resident_id() for _ in range(3)]
    roster = tmp_path / "花名册.csv"
    lines = ["姓名,身份证号,手机号,所属工会,职业"]
    lines += [f"张伟{'一二三'[i]},{rid},1380000000{i},{UNION},矿工" for i, rid in enumerate(good)]
    lines += [f"李娜,1.40521199001011E+17,13800000009,{UNION},矿工"]
    roster.write_text("\n".join(lines) + "\n", encoding="gbk")

    admin_login(desk, live_server, "alice")
    desk.goto(f"{live_server.url}/admin/membership/rosterimport/")
    assert desk.locator("a[href$='/rosterimport/template.xlsx']").count() == 1
    desk.click(".object-tools a.addlink")
    desk.wait_for_selector("input[name=file]")
    desk.set_input_files("input[name=file]", str(roster))
    desk.screenshot(path="test-results/roster-upload.png", full_page=True)
    desk.click("input[name=_upload]")
    desk.wait_for_selector("#roster-counts", timeout=SLOW)
    assert desk.inner_text("[data-count=created]") == "3"
    assert desk.inner_text("[data-count=errors]") == "1"
    assert "E+17" in desk.inner_text("#roster-errors")
    desk.screenshot(path="test-results/roster-preview.png", full_page=True)

    desk.check("input[name=mode][value=valid]")
    desk.click("input[name=_confirm]")
    desk.wait_for_selector("#roster-outcome", timeout=SLOW)
    desk.screenshot(path="test-results/roster-result.png", full_page=True)
    assert sorted(Member.objects.values_list("resident_id", flat=True)) == sorted(good)


def _roster_as_a_union_sends_it(path, rows) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(["嘉峰煤矿工会会员花名册"])
    sheet.merge_cells("A1:F1")
    sheet.append(["姓名", "身份证号", "职工本人号码（务必准确）", "所属工会", "职业", "爱好特长（选填）"])
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows(min_row=3, min_col=2, max_col=3):
        for cell in cells:
            cell.number_format = "@"
    workbook.save(path)


def test_county_staff_map_an_unknown_column_ignore_another_and_import_only_the_valid_rows(
    live_server, desk, people, tmp_path
):
    union_in(QINSHUI, name=UNION)
    ids = [resident_id() for _ in range(5)]
    rows = [
        ("张伟", ids[0], "13800000001", UNION, "矿工", "篮球"),
        ("李娜", ids[1], "1380000", UNION, "工人", ""),  # seven digits: refused once the column is read
        ("王芳", ids[2], "13800000003", UNION, "工人", "书法"),
        ("赵磊", ids[3], "13800000004", UNION, "矿工", ""),
        ("孙丽", ids[4], "138000000050", UNION, "矿工", "唱歌"),  # twelve digits
    ]
    path = tmp_path / "嘉峰煤矿花名册.xlsx"
    _roster_as_a_union_sends_it(path, rows)

    admin_login(desk, live_server, "alice")
    desk.goto(f"{live_server.url}/admin/membership/rosterimport/add/")
    desk.set_input_files("input[name=file]", str(path))
    desk.click("input[name=_upload]")
    desk.wait_for_selector("#roster-unmapped", timeout=SLOW)  # the check ran in the background, then reloaded
    unmapped = desk.inner_text("#roster-unmapped")
    assert "职工本人号码（务必准确）" in unmapped and "爱好特长（选填）" in unmapped
    assert desk.locator("#roster-confirm-form").count() == 0  # nothing can be written yet
    assert desk.locator("tr.roster-unmapped").count() == 2
    desk.screenshot(path="test-results/roster-unmapped.png", full_page=True)

    desk.select_option("tr[data-column='2'] select", "mobile")
    desk.select_option("tr[data-column='5'] select", "_ignore")
    desk.click("input[name=_remap]")
    desk.wait_for_selector("#roster-confirm-form", timeout=SLOW)
    roster = RosterImport.objects.get()
    assert Job.objects.filter(target_id=roster.pk, kind="membership.roster_check").count() == 2  # checked again
    assert desk.locator("#roster-unmapped").count() == 0
    assert desk.inner_text("[data-count=created]") == "3" and desk.inner_text("[data-count=errors]") == "2"
    errors = desk.inner_text("#roster-errors")
    assert "李娜" in errors and "孙丽" in errors and "手机号" in errors
    desk.screenshot(path="test-results/roster-remapped.png", full_page=True)

    confirm = desk.locator("#roster-confirm-form input[name=_confirm]")
    assert confirm.is_disabled()  # all or nothing, the default, with errors: nothing would be written
    assert "已禁用" in desk.inner_text("#roster-confirm-why") and "2 行" in desk.inner_text("#roster-confirm-why")
    desk.check("#roster-confirm-form input[name=mode][value=valid]")
    assert confirm.is_enabled() and not desk.is_visible("#roster-confirm-why")
    assert "2 行将被略过" in desk.inner_text("#roster-confirm-valid")
    confirm.click()
    desk.wait_for_selector("#roster-outcome.success", timeout=SLOW)
    assert "有 2 行因有错误被略过" in desk.inner_text("#roster-left-out-count")
    desk.screenshot(path="test-results/roster-valid-only.png", full_page=True)

    written = {m.resident_id: m for m in Member.objects.select_related("union")}
    assert sorted(written) == sorted([ids[0], ids[2], ids[3]])
    today = dt.date.today()
    for name, rid, mobile, union, occupation, _hobby in (rows[0], rows[2], rows[3]):
        member = written[rid]
        assert (member.name, member.mobile, member.union.name) == (name, mobile, union)
        assert member.occupation == {"矿工": Occupation.MINER, "工人": Occupation.EMPLOYEE}[occupation]
        assert member.card_number.startswith(f"{QINSHUI}{member.join_date.year}")
        assert abs((member.join_date - today).days) <= 1  # no join date given: the day of the import
    assert not Member.objects.filter(name__in=["李娜", "孙丽", "嘉峰煤矿工会会员花名册"]).exists()


def test_the_preview_of_a_hand_made_roster_shows_what_will_be_written(live_server, desk, people, tmp_path):
    union_in(QINSHUI, name=UNION)
    path = tmp_path / "一车间花名册.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(["嘉峰煤矿一车间会员花名册"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "姓名", "身份证号", "联系方式", None, "所属工会", "入会年月"])
    sheet.append([None, None, None, "手机号", "固定电话", None, None])
    for cells in ("A2:A3", "B2:B3", "C2:C3", "F2:F3", "G2:G3"):
        sheet.merge_cells(cells)
    sheet.merge_cells("D2:E2")
    rows = [
        ("阿卜杜•热合曼", resident_id(), "138 0000 0001", "0356-1234567", UNION, "2023.05"),
        ("李娜", resident_id(), "13800000002", None, UNION, None),
        ("王\u200b芳", resident_id(), "13800000003", None, UNION, "2022.11"),
        ("赵磊", "140521900517123", "13800000004", None, UNION, None),
        ("孙丽", resident_id(), "1380000", None, UNION, "2024.03"),
    ]
    for n, row in enumerate(rows, start=1):
        sheet.append([n, *row])
    sheet.row_dimensions[6].hidden = True
    workbook.save(path)

    admin_login(desk, live_server, "alice")
    desk.set_viewport_size({"width": 1366, "height": 768})
    desk.goto(f"{live_server.url}/admin/membership/rosterimport/add/")
    desk.set_input_files("input[name=file]", str(path))
    desk.click("input[name=_upload]")
    desk.wait_for_selector("#roster-columns", timeout=SLOW)
    assert "第 2–3 行" in desk.inner_text("#content-main")
    assert "E列（联系方式/固定电话）" in desk.inner_text("#roster-columns")
    desk.select_option("tr[data-column='4'] select", "_ignore")
    desk.click("input[name=_remap]")
    desk.wait_for_selector("#roster-sample", timeout=SLOW)
    sample = desk.inner_text("#roster-sample")
    assert "阿卜杜·热合曼" in sample and "2023-05-01" in sample and "上传当天" in sample
    assert "138****0001" in sample and "13800000001" not in sample
    assert "6" in desk.inner_text("#roster-hidden")
    errors = desk.inner_text("#roster-errors")
    assert (
        "零宽空格" in errors and "15 位的旧式身份证号" in errors and "D列（手机号）" in errors and "1380000" in errors
    )
    assert "入会日期" in desk.inner_text("#roster-defaults")
    desk.screenshot(path="/work/notes/shots/roster-preview.png")
    desk.screenshot(path="test-results/roster-preview-full.png", full_page=True)


def test_a_roster_with_a_header_nobody_expects_is_mapped_by_hand(live_server, desk, people, tmp_path):
    """No header recognised: the failed check shows the first rows (numbers masked); Alice picks row 2 as the
    header, chooses each column and previews the two members."""
    union_in(QINSHUI, name=UNION)
    ids = [resident_id(serial=n) for n in (71, 72)]
    roster = tmp_path / "职工名单.csv"
    lines = ["2026年度职工名单（第二批）", "职工,证件,组织"] + [
        f"{n},{rid},{UNION}" for n, rid in zip(("张伟", "李娜"), ids, strict=True)
    ]
    roster.write_text("\n".join(lines) + "\n", encoding="gbk")

    admin_login(desk, live_server, "alice")
    desk.goto(f"{live_server.url}/admin/membership/rosterimport/add/")
    desk.set_input_files("input[name=file]", str(roster))
    desk.click("input[name=_upload]")
    desk.wait_for_selector("#roster-header-form", timeout=SLOW)
    assert ids[0] not in desk.inner_text("#roster-head-rows")
    desk.screenshot(path="test-results/roster-header-choice.png", full_page=True)
    desk.check("#header-row-2")
    desk.click("#roster-header-form input[type=submit]")
    desk.wait_for_selector("#roster-mapping-form select[name=column-0]", timeout=SLOW)
    for index, field in enumerate(("name", "resident_id", "union")):
        desk.select_option(f"select[name=column-{index}]", field)
    desk.click("input[name=_remap]")
    desk.wait_for_selector("#roster-counts", timeout=SLOW)
    assert desk.inner_text("[data-count=created]") == "2"
    desk.screenshot(path="test-results/roster-header-mapped.png", full_page=True)
