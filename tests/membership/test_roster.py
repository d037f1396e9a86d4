"""Member roster import: the row rules, all-or-nothing, valid rows only, scope, files as Excel and WPS save
them, and the error workbook. Inline CSV unless the file format is the point."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from membership.choices import MemberSource, MemberStatus, Occupation
from membership.models import CardCounter, ImportMode, ImportStatus, Member, RosterImport, RowAction
from membership.services import roster as services
from membership.services import roster_outcome as outcome
from membership.services.roster_rows import TEMPLATE_HEADERS
from tests import spreadsheet_checks as checks
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import MemberFactory, resident_id, union_in
from unionhub.personal import RESIDENT_ID, mask
from unionhub.spreadsheets import TEXT, Sheet, write_xlsx
from unionhub.validators import resident_id_check_char

HEADER = "姓名,身份证号,手机号,所属工会,工作单位,职业,入会日期,会员状态"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def union(db):
    return union_in(QINSHUI, name="嘉峰煤矿工会")


def upload(user, content, *, name="roster.csv", mode=ImportMode.ALL_OR_NOTHING, encoding="utf-8"):
    data = content.encode(encoding) if isinstance(content, str) else content
    roster = services.roster_import_create(file=SimpleUploadedFile(name, data), by=user, mode=mode)
    return services.roster_preview(roster=roster)


def csv(*lines, header=HEADER):
    return "\n".join([header, *lines]) + "\n"


def errors_of(roster):
    return [(p.row_number, p.column, p.message) for p in outcome.roster_problems(roster=roster, limit=1000)]


def test_it_previews_without_writing_and_counts_each_action(alice, union):
    other_union = union_in(QINSHUI, name="端氏镇工会")
    same = MemberFactory(union=union, name="王芳", mobile="13900000001", occupation=Occupation.MINER)
    changed = MemberFactory(union=union, name="李强", mobile="13900000002", occupation=Occupation.MINER)
    elsewhere = MemberFactory(union=other_union, name="赵磊")
    new_id = resident_id()
    roster = upload(
        alice,
        csv(
            f"张伟,{new_id},13800000000,嘉峰煤矿工会,嘉峰煤矿,矿工,2025-03-01,在会",
            f"王芳,{same.resident_id},13900000001,嘉峰煤矿工会,,矿工,,",
            f"李强,{changed.resident_id},13911112222,嘉峰煤矿工会,,,,",
            f"赵磊,{elsewhere.resident_id},,嘉峰煤矿工会,,,,",
            f"钱七,{resident_id()},12345,嘉峰煤矿工会,,,,",
        ),
    )
    assert roster.status == ImportStatus.PREVIEWED
    assert (roster.rows, roster.created, roster.updated, roster.unchanged, roster.transfers, roster.errors) == (
        5,
        1,
        1,
        1,
        1,
        1,
    )
    assert not Member.objects.filter(resident_id=new_id).exists()
    assert Member.objects.get(pk=changed.pk).mobile == "13900000002"
    assert errors_of(roster) == [(6, "手机号", errors_of(roster)[0][2])]


def test_it_creates_members_with_card_numbers_history_and_the_importer(alice, union):
    CardCounter.objects.create(county_id=QINSHUI, year=2025, last=41)
    ids = [resident_id() for _ in range(3)]
    roster = upload(
        alice,
        csv(
            f"张伟,{ids[0]},13800000000,嘉峰煤矿工会,嘉峰煤矿,矿工,2025-03-01,在会",
            f"李娜,{ids[1]},,嘉峰煤矿工会,,外卖骑手,2025/3/2,",
            f"王强,{ids[2]},,{union.credit_code},,,2024年7月1日,",
        ),
    )
    roster = services.roster_apply(roster=roster, by=alice)
    assert roster.status == ImportStatus.DONE and roster.created == 3 and roster.written
    members = {m.resident_id: m for m in Member.objects.filter(resident_id__in=ids)}
    assert members[ids[0]].card_number == f"{QINSHUI}2025000042"
    assert members[ids[1]].card_number == f"{QINSHUI}2025000043"
    assert members[ids[2]].card_number == f"{QINSHUI}2024000001"
    assert CardCounter.objects.get(county_id=QINSHUI, year=2025).last == 43
    first = members[ids[0]]
    assert (first.union, first.occupation, first.source, first.status) == (
        union,
        Occupation.MINER,
        MemberSource.IMPORT,
        MemberStatus.ACTIVE,
    )
    assert first.gender and first.birth_date == dt.date(1990, 5, 17)
    assert members[ids[2]].occupation == Occupation.EMPLOYEE  # blank occupation: the default
    assert members[ids[2]].mobile == ""
    record = first.history.get()
    assert record.history_type == "+" and record.history_user == alice
    assert record.history_change_reason == f"roster import #{roster.pk}"


def test_a_person_registered_between_the_last_check_and_the_write_is_reclassified_and_numbers_stay_gap_free(
    alice, union, monkeypatch
):
    """Someone approved online after the confirm's check against the register but before the insert: the
    write is undone to before the card numbers were taken, the rows are classified again, and the rest are
    written with numbers that leave no gap (no raw IntegrityError reaches the user)."""
    import importlib

    roster_apply = importlib.import_module("membership.services.roster_apply")
    ids = [resident_id(birth=dt.date(1981, 2, 3), serial=n) for n in (11, 12, 13)]
    roster = upload(alice, csv(*(f"张伟,{rid},,嘉峰煤矿工会,,,2025-03-01," for rid in ids)))
    assert roster.created == 3
    checked, original = [], roster_apply._recheck

    def recheck_then_someone_registers(locked, by, **kwargs):
        original(locked, by, **kwargs)
        if not checked:
            checked.append(True)
            MemberFactory(union=union, resident_id=ids[1], name="张伟", join_date=dt.date(2025, 3, 1))

    monkeypatch.setattr(roster_apply, "_recheck", recheck_then_someone_registers)
    roster = services.roster_apply(roster=roster, by=alice)
    assert roster.status == ImportStatus.DONE and roster.created == 2 and Member.objects.count() == 3
    # The approval took the year's first number; the import the next two, none lost to the undone write.
    numbers = sorted(Member.objects.values_list("card_number", flat=True))
    assert numbers == [f"{QINSHUI}2025{n:06d}" for n in (1, 2, 3)]
    assert Member.objects.get(resident_id=ids[1]).card_number == f"{QINSHUI}2025000001"
    assert CardCounter.objects.get(county_id=QINSHUI, year=2025).last == 3
    assert Member.history.filter(history_change_reason=f"roster import #{roster.pk}").count() == 2


def test_an_update_changes_only_the_given_cells_and_is_attributed_to_the_importer(alice, union):
    member = MemberFactory(
        union=union, name="李强", mobile="13900000002", employer="旧单位", join_date=dt.date(2020, 1, 1)
    )
    roster = upload(alice, csv(f"李强,{member.resident_id},139 1111 2222,嘉峰煤矿工会,,,,退会"))
    assert roster.updated == 1
    services.roster_apply(roster=roster, by=alice)
    member.refresh_from_db()
    assert (member.mobile, member.employer, member.join_date, member.status) == (
        "13911112222",
        "旧单位",
        dt.date(2020, 1, 1),
        MemberStatus.LAPSED,
    )
    latest = member.history.first()
    assert latest.history_type == "~" and latest.history_user == alice and latest.mobile == "13911112222"


def test_reimporting_the_same_file_writes_nothing(alice, union):
    content = csv(f"张伟,{resident_id()},13800000000,嘉峰煤矿工会,嘉峰煤矿,矿工,2025-03-01,在会")
    services.roster_apply(roster=upload(alice, content), by=alice)
    again = services.roster_apply(roster=upload(alice, content), by=alice)
    assert (again.unchanged, again.created, again.updated, again.written) == (1, 0, 0, False)
    assert Member.history.count() == 1


def test_an_id_number_twice_in_the_file_is_an_error_on_both_rows(alice, union):
    twice = resident_id()
    roster = upload(
        alice,
        csv(
            f"张伟,{twice},,嘉峰煤矿工会,,,,",
            f"张威,{twice},,嘉峰煤矿工会,,,,",
            f"李娜,{resident_id()},,嘉峰煤矿工会,,,,",
        ),
    )
    assert roster.errors == 2 and roster.created == 1
    assert [(row, column) for row, column, _ in errors_of(roster)] == [(2, "身份证号"), (3, "身份证号")]


@pytest.mark.parametrize("value", ["1.40521199001011E+17", "140521199001011000"])
def test_an_id_number_excel_turned_into_a_number_is_refused_with_how_to_fix_it(alice, union, value):
    roster = upload(alice, csv(f"张伟,{value},,嘉峰煤矿工会,,,,"))
    (problem,) = outcome.roster_problems(roster=roster)
    assert problem.column == "身份证号"
    # The message says what happened without the 15 digits the number kept (a personal number, masked).
    assert "1.40521…E+17" in problem.message or "000" in problem.message
    assert "199001011" not in problem.message
    assert not Member.objects.exists()


def test_a_message_about_a_misaligned_cell_never_repeats_a_personal_number(alice, union):
    rid = resident_id()
    roster = upload(alice, csv(f"张伟,{rid},13800000000,嘉峰煤矿工会,嘉峰煤矿,{rid},2025-03-01,139 1234 5678"))
    messages = " ".join(message for _, _, message in errors_of(roster))
    assert "职业" in " ".join(column for _, column, _ in errors_of(roster))
    assert rid not in messages and "139 1234 5678" not in messages and "13912345678" not in messages
    assert mask(rid, RESIDENT_ID) in messages and "139****5678" in messages


def test_a_numeric_id_cell_in_a_workbook_is_refused_and_never_stored(alice, union):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["张伟", 140521199005170011, None, "嘉峰煤矿工会"])
    sheet.append(["李娜", 1.40521199001011e17, None, "嘉峰煤矿工会"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    roster = upload(alice, buffer.getvalue(), name="roster.xlsx", mode=ImportMode.VALID_ONLY)
    assert roster.errors == 2
    assert all("E+17" in p.message for p in outcome.roster_problems(roster=roster))
    services.roster_apply(roster=roster, by=alice)
    assert not Member.objects.exists()


def test_rows_get_the_online_forms_validation_with_full_width_and_spaces_normalised(alice, union):
    good = resident_id()
    full_width = good.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    bad_birth = "140521" + "19901332" + "0019"
    roster = upload(
        alice,
        csv(
            f" 张　伟 , {full_width} ,＋86 138-0000-0000, 嘉峰煤矿工会 ,,快递员,2025.3.1,",
            f"李娜,{bad_check},,嘉峰煤矿工会,,,,",
            f"王强,{bad_birth},,嘉峰煤矿工会,,,,",
            f",{resident_id()},,嘉峰煤矿工会,,飞行员,明天,停薪",
        ),
    )
    assert roster.created == 1 and roster.errors == 3
    columns = {(row, column) for row, column, _ in errors_of(roster)}
    assert columns == {(3, "身份证号"), (4, "身份证号"), (5, "姓名"), (5, "职业"), (5, "入会日期"), (5, "会员状态")}
    services.roster_apply(roster=roster, by=alice, mode=ImportMode.VALID_ONLY)
    member = Member.objects.get(resident_id=good)
    assert (member.name, member.mobile, member.occupation, member.join_date) == (
        "张 伟",
        "13800000000",
        Occupation.COURIER,
        dt.date(2025, 3, 1),
    )


def test_dates_are_accepted_as_excel_dates_or_common_text(alice, union):
    content = write_xlsx(
        Sheet(
            "花名册",
            ["姓名", "身份证号", "所属工会", "入会日期"],
            [
                ["张伟", resident_id(), "嘉峰煤矿工会", dt.date(2024, 3, 5)],
                ["李娜", resident_id(), "嘉峰煤矿工会", 45356],
                ["王强", resident_id(), "嘉峰煤矿工会", "2024年3月5日"],
                ["赵磊", resident_id(), "嘉峰煤矿工会", "20240305"],
            ],
            formats={1: TEXT},
        )
    )
    roster = services.roster_apply(roster=upload(alice, content, name="roster.xlsx"), by=alice)
    assert roster.created == 4
    assert set(Member.objects.values_list("join_date", flat=True)) == {dt.date(2024, 3, 5)}


def test_headers_match_in_english_and_unknown_columns_block_the_import_until_mapped(
    alice, union, django_capture_on_commit_callbacks
):
    roster = upload(alice, csv(f"张伟,{resident_id()},嘉峰煤矿工会,x,y", header="Name,ID number,Union,备注,爱好"))
    assert roster.created == 1 and roster.unknown_columns == ["爱好"]
    assert [(c["header"], c["field"]) for c in roster.layout["columns"]][3:] == [
        ("备注", "_bookkeeping"),
        ("爱好", None),
    ]
    with pytest.raises(ValidationError, match="爱好"):
        services.roster_import_start(roster=roster, by=alice, mode=ImportMode.ALL_OR_NOTHING)
    with django_capture_on_commit_callbacks(execute=True):  # the check job runs when the request commits
        services.roster_mapping_set(roster=roster, by=alice, mapping={4: "_ignore"})
    roster.refresh_from_db()
    assert roster.status == ImportStatus.PREVIEWED and roster.unknown_columns == []
    assert services.roster_apply(roster=roster, by=alice).created == 1


def test_a_file_without_the_required_columns_fails_as_a_whole(alice, union):
    roster = upload(alice, csv("张伟,13800000000", header="姓名,手机号"))
    assert roster.status == ImportStatus.FAILED and "身份证号" in roster.error and "所属工会" in roster.error


def test_a_gbk_csv_saved_by_excel_is_read(alice, union):
    roster = upload(alice, csv(f"张伟,{resident_id()},,嘉峰煤矿工会,,矿工,,在会"), encoding="gbk")
    assert roster.created == 1 and roster.errors == 0


def test_by_default_any_error_writes_nothing(alice, union):
    roster = upload(alice, csv(f"张伟,{resident_id()},,嘉峰煤矿工会,,,,", f"李娜,{resident_id()},12,嘉峰煤矿工会,,,,"))
    roster = services.roster_apply(roster=roster, by=alice)
    assert roster.status == ImportStatus.REFUSED and not roster.written
    assert not Member.objects.exists() and not CardCounter.objects.exists()


def test_valid_rows_only_writes_the_valid_rows_and_keeps_the_rest_in_the_error_workbook(alice, union):
    good, bad = resident_id(), resident_id()
    roster = upload(
        alice, csv(f"张伟,{good},,嘉峰煤矿工会,,,,", f"李娜,{bad},12,嘉峰煤矿工会,,,,"), mode=ImportMode.VALID_ONLY
    )
    roster = services.roster_apply(roster=roster, by=alice)
    assert roster.status == ImportStatus.DONE and roster.created == 1 and roster.errors == 1
    assert list(Member.objects.values_list("resident_id", flat=True)) == [good]
    sheet = openpyxl.load_workbook(io.BytesIO(outcome.roster_error_workbook(roster=roster))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (*HEADER.split(","), "错误说明", "原行号")
    assert rows[1][:4] == ("李娜", bad, "12", "嘉峰煤矿工会") and "手机号" in rows[1][-2] and rows[1][-1] == 3
    assert sheet["B2"].number_format == "@" and sheet["C2"].number_format == "@"
    assert len(rows) == 2


def test_a_formula_like_name_is_kept_as_text_and_the_error_workbook_neutralises_it_without_an_apostrophe(alice, union):
    roster = upload(alice, csv(f'=HYPERLINK("http://x"),{resident_id()},12,嘉峰煤矿工会,,,,'))
    assert errors_of(roster) == [(2, "手机号", errors_of(roster)[0][2])]  # the name is not refused
    content = outcome.roster_error_workbook(roster=roster)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix  # Excel shows it as text and keeps it text when edited
    again = upload(alice, content, name="errors.xlsx")
    assert again.status == ImportStatus.PREVIEWED and again.unknown_columns == [] and again.errors == 1


def test_a_row_naming_another_countys_union_is_an_error(alice, union):
    union_in(YANGCHENG, name="阳城县某公司工会")
    roster = upload(
        alice,
        csv(f"张伟,{resident_id()},,阳城县某公司工会,,,,", f"李娜,{resident_id()},,不存在的工会,,,,"),
        mode=ImportMode.VALID_ONLY,
    )
    assert roster.errors == 2
    first, second = errors_of(roster)
    assert first[:2] == (2, "所属工会") and second[:2] == (3, "所属工会") and first[2] != second[2]
    services.roster_apply(roster=roster, by=alice)
    assert not Member.objects.exists()


def test_only_users_who_may_add_members_can_import(carol, union):
    with pytest.raises(PermissionDenied):
        upload(carol, csv(f"张伟,{resident_id()},,嘉峰煤矿工会,,,,"))


def test_imports_are_scoped_to_the_importers_region(alice, bob, union):
    roster = upload(alice, csv(f"张伟,{resident_id()},,嘉峰煤矿工会,,,,"))
    assert roster.region_id == QINSHUI
    from unionhub.scoping import scope_queryset

    assert not scope_queryset(RosterImport.objects.all(), bob).exists()


def test_applying_twice_writes_once(alice, union):
    roster = upload(alice, csv(f"张伟,{resident_id()},,嘉峰煤矿工会,,,,"))
    services.roster_apply(roster=roster, by=alice)
    services.roster_apply(roster=RosterImport.objects.get(pk=roster.pk), by=alice)
    assert Member.objects.count() == 1 and Member.history.count() == 1


def test_a_person_registered_after_the_preview_is_not_created_twice(alice, union):
    rid = resident_id()
    roster = upload(alice, csv(f"张伟,{rid},,嘉峰煤矿工会,,,,"))
    MemberFactory(union=union, resident_id=rid, name="张伟")
    roster = services.roster_apply(roster=roster, by=alice)
    assert roster.created == 0 and Member.objects.filter(resident_id=rid).count() == 1


def test_hostile_workbooks_are_refused(alice, union):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (300 * 1024 * 1024) + b">")
    assert upload(alice, bomb.getvalue(), name="bomb.xlsx").status == ImportStatus.FAILED

    content = write_xlsx(Sheet("花名册", ["姓名", "身份证号", "所属工会"], [["张伟", resident_id(), "嘉峰煤矿工会"]]))
    source = zipfile.ZipFile(io.BytesIO(content))
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<worksheet",
                    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><worksheet',
                    1,
                )
            archive.writestr(item, data)
    roster = upload(alice, hostile.getvalue(), name="entities.xlsx")
    assert roster.status == ImportStatus.FAILED and roster.error


def test_the_template_has_chinese_headers_an_example_and_text_id_column(alice, union):
    sheet = openpyxl.load_workbook(io.BytesIO(outcome.roster_template(user=alice))).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    assert list(rows[0]) == TEMPLATE_HEADERS and len(rows) == 2
    assert sheet["B2"].number_format == "@" and isinstance(rows[1][1], str)
    assert sheet["B500"].number_format == "@" and sheet["C500"].number_format == "@"
    assert rows[1][3] == "嘉峰煤矿工会"
    code = rows[1][1]
    assert resident_id_check_char(code[:17]) == code[17]
    # The sample row is skipped, never stored: the untouched template has no member rows; filled in, it imports.
    roster = upload(alice, outcome.roster_template(user=alice), name="template.xlsx")
    assert roster.status == ImportStatus.FAILED and "没有会员行" in roster.error or "no member rows" in roster.error
    workbook = openpyxl.load_workbook(io.BytesIO(outcome.roster_template(user=alice)))
    workbook.active.append(["李娜", resident_id(), "", "嘉峰煤矿工会", "", "工人", "", ""])
    filled = io.BytesIO()
    workbook.save(filled)
    roster = upload(alice, filled.getvalue(), name="template.xlsx")
    assert (roster.errors, roster.created, roster.skipped) == (0, 1, 1)
    assert outcome.roster_skipped(roster=roster)[0].row_number == 2


def test_staged_rows_record_their_action(alice, union):
    roster = upload(alice, csv(f"张伟,{resident_id()},,嘉峰煤矿工会,,,,"))
    assert list(roster.staged_rows.values_list("action", flat=True)) == [RowAction.CREATE]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_batches_are_copied_in_the_background_and_all_arrive(alice, union, monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module("membership.services.roster_check"), "BATCH", 1_000)
    copies = []
    submit = services._BackgroundCopy.submit
    monkeypatch.setattr(services._BackgroundCopy, "submit", lambda self, *a: copies.append(1) or submit(self, *a))
    birth = dt.date(1970, 1, 1)
    rows = [
        f"张伟,{resident_id(birth=birth + dt.timedelta(days=i // 1000), serial=i % 1000)},,嘉峰煤矿工会,,,,"
        for i in range(3_500)
    ]
    rows[2_400] = rows[10]  # a duplicate across two batches is still found
    roster = upload(alice, csv(*rows))
    assert len(copies) == 4  # three full batches and the rest, each on the second connection
    assert roster.staged_rows.count() == 3_500 and roster.rows == 3_500
    assert errors_of(roster)[0][0] == 12 and roster.errors == 2
    roster = services.roster_apply(roster=roster, by=alice, mode=ImportMode.VALID_ONLY)
    assert Member.objects.count() == 3_498


@pytest.mark.postgres
def test_one_bad_row_among_ten_thousand_writes_nothing_on_postgresql(alice, union):
    birth = dt.date(1970, 1, 1)
    rows = [
        f"张伟,{resident_id(birth=birth + dt.timedelta(days=i // 1000), serial=i % 1000)},,嘉峰煤矿工会,,,,"
        for i in range(10_000)
    ]
    rows[7_345] = "张伟,1.40521199001011E+17,,嘉峰煤矿工会,,,,"
    roster = upload(alice, csv(*rows))
    assert roster.rows == 10_000 and roster.errors == 1 and roster.created == 9_999
    roster = services.roster_apply(roster=roster, by=alice)
    assert roster.status == ImportStatus.REFUSED
    assert not Member.objects.exists() and not Member.history.exists() and not CardCounter.objects.exists()


def test_the_error_workbook_highlights_each_bad_cell_with_its_message(alice, union):
    bad = resident_id()
    roster = upload(
        alice, csv(f"+1,{bad},12,嘉峰煤矿工会,,,,", f"@SUM(A1),{resident_id()},13800000000,嘉峰煤矿工会,,,,")
    )
    sheet = checks.open_xlsx(outcome.roster_error_workbook(roster=roster)).active
    checks.assert_chinese([cell.value for cell in sheet[1]], sheet.title)
    assert sheet.title == "有错误的行" and sheet.freeze_panes == "A2"
    checks.assert_xlsx_text(sheet, bad)
    mobile = sheet["C2"]  # the cell at fault: highlighted, its message in a comment
    assert mobile.value == "12" and mobile.fill.fill_type == "solid" and "手机号" in sheet["I2"].value
    assert mobile.comment and mobile.comment.text in sheet["I2"].value
    assert sheet["B2"].comment is None and sheet["B2"].fill.fill_type is None
    assert sheet["A2"].value == "+1" and sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix


def test_the_template_is_written_by_the_one_writer(alice, union):
    workbook = checks.open_xlsx(outcome.roster_template(user=alice))
    sheet = workbook.active
    assert workbook.sheetnames == ["会员花名册", "可选值"]
    checks.assert_chinese([cell.value for cell in sheet[1]], sheet.title)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    checks.assert_xlsx_text(sheet, "11010519491231002X", "13800138000")
    assert "示例" in sheet["A2"].comment.text  # the sample row says it is one
