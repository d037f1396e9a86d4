"""Rosters made by hand, as grassroots unions make them (issue 25, "nothing silently changed"): a merged
two-row header, two sheets that are both rosters, blank and month-only join dates, middle dots, invisible
characters and old 15-digit IDs, and the project's own member export uploaded again."""

import csv as csvlib
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from membership.models import ImportMode, ImportStatus, Member, RosterRow, RowAction
from membership.services import roster as services
from membership.services import roster_outcome as outcome
from tests.factories import QINSHUI
from tests.membership.factories import MemberFactory, resident_id, union_in

UNION = "嘉峰煤矿工会"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def union(db):
    return union_in(QINSHUI, name=UNION)


def xlsx(build) -> bytes:
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(user, data: bytes, name="roster.xlsx", mode=ImportMode.ALL_OR_NOTHING):
    roster = services.roster_import_create(file=SimpleUploadedFile(name, data), by=user, mode=mode)
    return services.roster_preview(roster=roster)


def details(roster):
    return [
        (row.row_number, *detail)
        for row in RosterRow.objects.filter(roster=roster, action=RowAction.ERROR).order_by("row_number")
        for detail in outcome.row_details(row)
    ]


def test_a_merged_two_row_header_is_one_header_and_offers_every_sub_column(alice, union):
    ids = [resident_id(serial=n) for n in (11, 12)]

    def build(wb):
        ws = wb.active
        ws.append(["嘉峰煤矿工会会员花名册"])
        ws.merge_cells("A1:F1")
        ws.append(["序号", "姓名", "身份证号", "联系方式", None, "所属工会"])
        ws.append([None, None, None, "手机号", "固定电话", None])
        for cell in ("A2:A3", "B2:B3", "C2:C3", "F2:F3"):
            ws.merge_cells(cell)
        ws.merge_cells("D2:E2")
        ws.append([1, "张伟", ids[0], "13800000001", "0356-1234567", UNION])
        ws.append([2, "李娜", ids[1], "13800000002", None, UNION])

    roster = upload(alice, xlsx(build))
    columns = {c["header"]: c["field"] for c in roster.layout["columns"]}
    assert columns["手机号"] == "mobile"
    assert "联系方式/固定电话" in columns and columns["联系方式/固定电话"] is None  # offered in the mapping
    assert (roster.layout["header_row"], roster.layout["header_end"]) == (2, 3)
    assert roster.unknown_columns == ["联系方式/固定电话"]
    assert (roster.rows, roster.created, roster.errors) == (2, 2, 0)  # row 3 is no member with errors
    assert list(RosterRow.objects.filter(roster=roster).order_by("row_number").values_list("mobile", flat=True)) == [
        "13800000001",
        "13800000002",
    ]
    # The landline is mapped to "do not import": then the import goes through.
    index = next(c["index"] for c in roster.layout["columns"] if c["header"] == "联系方式/固定电话")
    services.roster_mapping_set(roster=roster, by=alice, mapping={str(index): "_ignore"})
    roster.refresh_from_db()
    roster = services.roster_preview(roster=roster)
    assert roster.status == ImportStatus.PREVIEWED and not roster.unknown_columns


def test_two_sheets_that_are_both_rosters_are_not_silently_read_as_one(alice, union):
    def build(wb):
        first = wb.active
        first.title = "一车间"
        first.append(["姓名", "身份证号", "所属工会"])
        first.append(["张伟", resident_id(serial=21), UNION])
        second = wb.create_sheet("二车间")
        second.append(["姓名", "身份证号", "所属工会"])
        second.append(["李娜", resident_id(serial=22), UNION])
        second.append(["王强", resident_id(serial=23), UNION])

    roster = upload(alice, xlsx(build))
    assert roster.status == ImportStatus.FAILED
    assert "“一车间”" in roster.error and "“二车间”" in roster.error
    assert roster.layout["sheet_names"] == ["一车间", "二车间"] and roster.layout["other_rosters"] == ["二车间"]
    assert not RosterRow.objects.filter(roster=roster).exists()
    # The user chooses sheet 2: its two members are read.
    services.roster_mapping_set(roster=roster, by=alice, mapping={}, sheet=1)
    roster.refresh_from_db()
    roster = services.roster_preview(roster=roster)
    assert (roster.status, roster.created) == (ImportStatus.PREVIEWED, 2)


def test_a_cover_sheet_and_the_template_lists_are_not_a_second_roster(alice, union):
    def build(wb):
        cover = wb.active
        cover.title = "封面"
        cover.append(["2025年会员花名册"])
        cover.append(["填报单位", "嘉峰煤矿"])
        ws = wb.create_sheet("花名册")
        ws.append(["姓名", "身份证号", "所属工会", "职业"])
        ws.append(["张伟", resident_id(serial=24), UNION, "矿工"])
        lists = wb.create_sheet("可选值")
        lists.append(["职业", "会员状态", "所属工会"])
        lists.append(["矿工", "在会", UNION])

    roster = upload(alice, xlsx(build))
    assert (roster.status, roster.created, roster.layout["sheet"]) == (ImportStatus.PREVIEWED, 1, 1)


def test_names_dots_invisible_characters_and_old_ids(alice, union):
    rows = [
        ["阿卜杜•热合曼", resident_id(serial=31), UNION],
        ["买买提．艾力", resident_id(serial=32), UNION],
        ["张\u200b伟", resident_id(serial=33), UNION],
        ["李娜", "140521900517123", UNION],
        ["王芳", "1405 2190 0517 124", UNION],  # an old ID typed in groups: 18 characters, 15 digits
    ]

    def build(wb):
        ws = wb.active
        ws.append(["姓名", "身份证号", "所属工会"])
        for row in rows:
            ws.append(row)

    roster = upload(alice, xlsx(build), mode=ImportMode.VALID_ONLY)
    staged = dict(RosterRow.objects.filter(roster=roster).values_list("row_number", "name"))
    assert staged[2] == "阿卜杜·热合曼" and staged[3] == "买买提·艾力"
    problems = details(roster)
    zero = next(p for p in problems if p[0] == 4)
    assert zero[1] == "A列（姓名）" and "零宽空格" in zero[2] and "U+200B" in zero[2] and "第 2 个字符" in zero[2]
    old = next(p for p in problems if p[0] == 5)
    assert old[1] == "B列（身份证号）" and "15 位" in old[2] and "旧" in old[2]
    assert old[3] and "140521900517123" not in old[3]  # the bad value shown, masked
    grouped = next(p for p in problems if p[0] == 6)
    assert grouped[1] == "B列（身份证号）" and "15 位" in grouped[2] and "旧" in grouped[2]
    roster = services.roster_apply(roster=roster, by=alice, mode=ImportMode.VALID_ONLY)
    member = Member.objects.get(resident_id=rows[0][1])
    assert member.name == "阿卜杜·热合曼"
    assert Member.objects.filter(name__contains="·").count() == 2
    history = member.history.get()
    assert history.history_change_reason.endswith("阿卜杜•热合曼")  # the name as read is kept


def test_month_only_join_dates_are_the_first_of_the_month_when_the_header_says_so(alice, union):
    rows = [
        ["张伟", resident_id(serial=41), UNION, "2023.05"],
        ["李娜", resident_id(serial=42), UNION, 2023.11],
        ["王强", resident_id(serial=43), UNION, "2022年3月"],
        ["赵磊", resident_id(serial=44), UNION, 2023.1],  # Excel's 2023.10 or 2023.01: asked
    ]
    data = "\n".join(["姓名,身份证号,所属工会,入会年月", *(",".join(map(str, r)) for r in rows)]).encode("gbk")
    roster = upload(alice, data, name="roster.csv")
    joined = dict(RosterRow.objects.filter(roster=roster).values_list("row_number", "join_date"))
    assert joined[2] == dt.date(2023, 5, 1) and joined[3] == dt.date(2023, 11, 1) and joined[4] == dt.date(2022, 3, 1)
    assert [p[0] for p in details(roster)] == [5]
    # Without 年月 in the header, 2023.05 is no date.
    data = f"姓名,身份证号,所属工会,入会日期\n张伟,{resident_id(serial=45)},{UNION},2023.05\n".encode("gbk")
    assert upload(alice, data, name="roster.csv").errors == 1


def test_the_member_export_imports_back_unchanged(alice, union):
    from membership.services import exports

    MemberFactory(union=union, name="=1+1", mobile="13800000011")
    MemberFactory(union=union, name="阿卜杜·热合曼", mobile="")
    MemberFactory(union=union, name="李娜", employer="嘉峰煤矿")
    alice.user_permissions.add(*_reveal_permissions())
    alice = type(alice).objects.get(pk=alice.pk)
    for file_format in ("xlsx", "csv"):
        export = exports.member_export_request(user=alice, query="", file_format=file_format)
        export.revealed = True
        export.save()
        exports.member_export_run(export_id=export.pk)
        export.refresh_from_db()
        data = export.file.read()
        if file_format == "xlsx":
            sheet = openpyxl.load_workbook(io.BytesIO(data)).active
            names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
        else:
            names = [row[1] for row in list(csvlib.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]]
        assert "'=1+1" in names  # neutralised in the file
        roster = upload(alice, data, name=f"members.{file_format}")
        assert roster.status == ImportStatus.PREVIEWED, roster.error
        assert not roster.unknown_columns
        card = next(c for c in roster.layout["columns"] if c["index"] == 0)
        assert card["field"] == "_derived"  # the card number: recognised, kept, not imported
        assert (roster.rows, roster.unchanged, roster.created, roster.updated, roster.errors) == (3, 3, 0, 0, 0)
        roster = services.roster_apply(roster=roster, by=alice)
        assert (roster.status, roster.written) == (ImportStatus.DONE, False)
    assert Member.objects.filter(name="=1+1").exists()


def _reveal_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename__in=["reveal_personal_data"], content_type__app_label="membership")


def test_progress_moves_every_2_percent_on_20000_rows(alice, union):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["姓名", "身份证号", "所属工会", "入会日期"])
    for n in range(20_000):
        sheet.append([f"会员{n}", resident_id(serial=n % 999 + 1, birth=dt.date(1960, 1, 1) + dt.timedelta(days=n)),
                      UNION, dt.date(2024, 1, 1)])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    reports = []

    def progress(done, total=None, stage=None):
        reports.append((done, total, str(stage)))

    roster = services.roster_import_create(file=SimpleUploadedFile("big.xlsx", buffer.getvalue()), by=alice)
    roster = services.roster_preview(roster=roster, progress=progress)
    assert roster.created == 20_000
    checking = [done for done, total, stage in reports if stage == "正在检查各行" or total == 20_001]
    assert len(checking) >= 50 and reports[0][1] == 20_001  # the sheet's rows, from the file
    assert max(b - a for a, b in zip([0, *checking], checking, strict=False)) <= 20_001 // 50 + 256
    reports.clear()
    roster = services.roster_apply(roster=roster, by=alice, progress=progress)
    assert roster.status == ImportStatus.DONE
    written = [done for done, _total, _stage in reports]
    assert len(written) >= 50 and max(b - a for a, b in zip(written, written[1:], strict=False)) <= 400
