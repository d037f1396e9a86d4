"""Rosters as grassroots unions really send them (``roster_corpus``), each asserted row by row through the
service and through ``manage.py roster_check`` / ``roster_import``; the template's sample row left in; files
that are not rosters at all."""

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from membership.models import ImportMode, ImportStatus, Member, RosterImport, RosterRow
from membership.services import roster as services
from membership.services import roster_outcome as outcome
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import resident_id, union_in
from tests.membership.roster_corpus import UNION, corpus

VERDICT = {"create": "create", "update": "update", "unchanged": "unchanged", "skip": "skip", "error": "refuse"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def union(db):
    return union_in(QINSHUI, name=UNION)


def check(user, case):
    roster = services.roster_import_create(file=SimpleUploadedFile(case.filename, case.content), by=user)
    return services.roster_preview(roster=roster)


def verdicts(roster):
    rows = RosterRow.objects.filter(roster=roster).order_by("row_number")
    return {row.row_number: VERDICT.get(row.action, row.action) for row in rows}


@pytest.mark.parametrize("case", corpus(), ids=lambda case: case.name)
def test_each_corpus_file_is_read_row_by_row_through_the_service(
    alice, union, case, django_capture_on_commit_callbacks
):
    roster = check(alice, case)
    assert roster.status == ImportStatus.PREVIEWED, roster.error
    assert roster.unknown_columns == []
    assert verdicts(roster) == case.expected
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs when the request commits
        services.roster_import_start(roster=roster, by=alice, mode=ImportMode.VALID_ONLY)
    roster.refresh_from_db()
    assert roster.status == ImportStatus.DONE
    created = [n for n, verdict in case.expected.items() if verdict == "create"]
    assert roster.created == len(created) and Member.objects.count() == len(created)
    staged = {row.row_number: row for row in RosterRow.objects.filter(roster=roster)}
    for number, date in case.dates.items():
        assert Member.objects.get(resident_id=staged[number].resident_id).join_date == date
    for number, occupation in case.occupations.items():
        assert Member.objects.get(resident_id=staged[number].resident_id).occupation == occupation
    assert not Member.objects.filter(name__in=["合计", "填表人：赵磊", "张三（示例）"]).exists()


@pytest.mark.parametrize("case", corpus(), ids=lambda case: case.name)
def test_each_corpus_file_gets_the_same_verdicts_from_the_command_which_writes_nothing(
    alice, union, case, tmp_path, capsys
):
    path = tmp_path / case.filename
    path.write_bytes(case.content)
    call_command("roster_check", str(path), "--user", "alice", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert {row["row"]: row["verdict"] for row in report["rows"]} == case.expected
    assert all(row["problems"] for row in report["rows"] if row["verdict"] in ("refuse", "skip"))
    assert not RosterImport.objects.exists() and not Member.objects.exists()
    assert any(column["field"] == "resident_id" for column in report["columns"])


def test_messages_name_the_row_column_and_what_to_do(alice, union):
    case = corpus()[2]  # the GBK CSV
    roster = check(alice, case)
    problems = {(p.row_number, p.column): p.message for p in outcome.roster_problems(roster=roster)}
    assert "外卖骑手" in problems[(4, "职业类别")] or "网约配送员" in problems[(4, "职业类别")]
    assert "5" in problems[(2, "身份证号")] and "2" in problems[(5, "身份证号")]  # which rows share the ID


def test_the_template_sample_row_left_in_is_skipped_and_never_stored(alice, union):
    workbook = openpyxl.load_workbook(io.BytesIO(outcome.roster_template(user=alice)))
    sheet = workbook.active
    rid = resident_id()
    for column, value in enumerate(["李娜", rid, "13800000001", UNION, "嘉峰煤矿", "工人", "2024.3.1", "在会"], 1):
        sheet.cell(row=3, column=column, value=value)  # typed under the sample, in the formatted cells
    assert [s.title for s in workbook.worksheets] == ["会员花名册", "可选值"]
    assert sheet.data_validations.dataValidation  # drop-downs in the coded columns
    buffer = io.BytesIO()
    workbook.save(buffer)
    roster = services.roster_preview(
        roster=services.roster_import_create(file=SimpleUploadedFile("t.xlsx", buffer.getvalue()), by=alice)
    )
    assert verdicts(roster) == {2: "skip", 3: "create"}
    services.roster_apply(roster=roster, by=alice)
    assert list(Member.objects.values_list("resident_id", flat=True)) == [rid]


def test_the_error_workbook_round_trips_with_dates_as_dates(alice, union):
    good = resident_id()
    roster = check(alice, corpus()[2])
    sheet = openpyxl.load_workbook(io.BytesIO(outcome.roster_error_workbook(roster=roster))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("姓名", "证件号码", "手机号", "工会名称", "单位", "职业类别", "入会日期", "状态")
    assert [r[-1] for r in rows[1:]] == [2, 4, 5]
    assert rows[1][6].date().isoformat() == "2024-03-01"  # a date, not 45352 or text
    # Fix the rows (another occupation, one ID per person) and upload the workbook again: it imports.
    sheet.cell(row=3, column=6).value = "工人"
    sheet.cell(row=4, column=2).value = good
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    again = services.roster_preview(
        roster=services.roster_import_create(file=SimpleUploadedFile("errors.xlsx", buffer.getvalue()), by=alice)
    )
    assert (again.status, again.errors, again.created, again.unknown_columns) == ("previewed", 0, 3, [])


def test_the_import_command_is_all_or_nothing_unless_valid_only_and_respects_scope(alice, bob, union, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(corpus()[2].content)
    with pytest.raises(CommandError):
        call_command("roster_import", str(path), "--user", "alice")
    assert not Member.objects.exists()
    out = io.StringIO()
    call_command("roster_import", str(path), "--user", "alice", "--valid-only", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["created"] == 1 and Member.objects.count() == 1
    # bob works in another county: the union is outside his area, every row refused, nothing written.
    with pytest.raises(CommandError):
        call_command("roster_import", str(path), "--user", "bob", "--valid-only", stderr=io.StringIO())
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    "filename, content",
    [
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("notes.csv", "会议纪要\n今天开会讨论了工会活动安排\n".encode()),
    ],
)
def test_a_file_that_is_not_a_roster_gets_one_clear_sentence(alice, union, filename, content):
    roster = services.roster_preview(
        roster=services.roster_import_create(file=SimpleUploadedFile(filename, content), by=alice)
    )
    assert roster.status == ImportStatus.FAILED and roster.error.count("。") <= 2 and len(roster.error) < 200
    assert not RosterRow.objects.exists()


def test_an_empty_first_sheet_is_not_an_empty_file(alice, union):
    workbook = openpyxl.Workbook()
    workbook.create_sheet("Sheet2").append(["姓名", "身份证号", "所属工会"])
    workbook["Sheet2"].append(["张伟", resident_id(), UNION])
    buffer = io.BytesIO()
    workbook.save(buffer)
    roster = services.roster_preview(
        roster=services.roster_import_create(file=SimpleUploadedFile("r.xlsx", buffer.getvalue()), by=alice)
    )
    assert roster.status == ImportStatus.PREVIEWED and roster.created == 1 and roster.layout["sheet"] == 1


def test_a_one_union_roster_gives_its_union_once(alice, union, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text(f"姓名,身份证号\n张伟,{resident_id()}\n", encoding="utf-8")
    call_command("roster_check", str(path), "--user", "alice", "--union", UNION, "--format", "json")
    assert json.loads(capsys.readouterr().out)["counts"]["create"] == 1
    union_in(YANGCHENG, name="阳城县某公司工会")


@pytest.mark.parametrize("case", [c for c in corpus() if c.filename.endswith(".xlsx")], ids=lambda case: case.name)
def test_each_xlsx_corpus_file_gets_the_same_verdicts_when_read_in_a_second_process(alice, union, case, monkeypatch):
    """Large files are parsed by ``read_ahead``'s child process (the threshold is lowered here so that the
    corpus takes that path): the layout found, the sheet chosen and every row's verdict are the same."""
    from unionhub.spreadsheets import read_ahead

    started = []
    popen = read_ahead.subprocess.Popen
    monkeypatch.setattr(read_ahead, "MIN_BYTES", 0)
    monkeypatch.setattr(read_ahead.subprocess, "Popen", lambda *a, **k: started.append(a) or popen(*a, **k))
    roster = check(alice, case)
    assert started, "the file was not read by the second process"
    assert roster.status == ImportStatus.PREVIEWED, roster.error
    assert verdicts(roster) == case.expected
