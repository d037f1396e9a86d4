"""``manage.py roster_check`` and ``roster_import`` for county IT staff: the admin's scope and permissions
exactly, and every verdict, refusal and error in Chinese."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from membership.models import Member, RosterImport
from tests.factories import QINSHUI
from tests.membership.factories import resident_id, union_in

UNION = "嘉峰煤矿工会"
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def roster(db, tmp_path):
    union_in(QINSHUI, name=UNION)
    path = tmp_path / "花名册.csv"
    path.write_text(f"姓名,身份证号,所属工会\n张伟,{resident_id()},{UNION}\n李娜,123,{UNION}\n", encoding="utf-8")
    return str(path)


def chinese(message: str) -> bool:
    return bool(CJK.search(message)) and not ENGLISH.search(message)


def check(capsys, path, *args) -> dict:
    call_command("roster_check", path, *args, "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_it_checks_in_the_users_scope_with_chinese_verdicts_and_writes_nothing(alice, bob, roster, capsys):
    mine = check(capsys, roster, "--user", "alice")
    assert [(row["row"], row["verdict"]) for row in mine["rows"]] == [(2, "create"), (3, "refuse")]
    (problem,) = mine["rows"][1]["problems"]
    assert problem["column"] == "身份证号" and chinese(problem["message"])
    # bob works in another county: the union is outside his area, so every row is refused, and says why.
    theirs = check(capsys, roster, "--user", "bob")
    assert [row["verdict"] for row in theirs["rows"]] == ["refuse", "refuse"]
    union_problem = [p for p in theirs["rows"][0]["problems"] if p["column"] == "所属工会"]
    assert union_problem and chinese(union_problem[0]["message"]) and "区域" in union_problem[0]["message"]
    assert not RosterImport.objects.exists() and not Member.objects.exists()


def test_a_union_given_on_the_command_line_is_looked_up_in_the_users_scope(alice, bob, tmp_path, capsys):
    union_in(QINSHUI, name=UNION)
    path = tmp_path / "一个工会.csv"
    path.write_text(f"姓名,身份证号\n张伟,{resident_id()}\n", encoding="utf-8")
    assert check(capsys, str(path), "--user", "alice", "--union", UNION)["rows"][0]["verdict"] == "create"
    assert check(capsys, str(path), "--user", "bob", "--union", UNION)["rows"][0]["verdict"] == "refuse"
    with pytest.raises(CommandError) as refused:
        call_command("roster_import", str(path), "--user", "bob", "--union", UNION, stderr=io.StringIO())
    assert chinese(str(refused.value).replace("--valid-only", "")) and not Member.objects.exists()


def test_users_who_may_not_import_are_refused_in_chinese(people, roster):
    for username in ("carol", "erin", "dave", "nobody"):
        for command in ("roster_check", "roster_import"):
            with pytest.raises(CommandError) as refused:
                call_command(command, roster, "--user", username, stdout=io.StringIO(), stderr=io.StringIO())
            assert chinese(str(refused.value).replace(username, "")), (command, username, str(refused.value))
    assert not RosterImport.objects.exists() and not Member.objects.exists()


def test_the_import_reports_its_refusals_row_by_row_in_chinese(alice, roster):
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("roster_import", roster, "--user", "alice", stdout=io.StringIO(), stderr=err)
    assert "--valid-only" in str(refused.value) and chinese(str(refused.value).replace("--valid-only", ""))
    (line,) = err.getvalue().splitlines()
    assert line.startswith("第 3 行 身份证号：") and chinese(line)
    assert not Member.objects.exists()
    out = io.StringIO()
    call_command("roster_import", roster, "--user", "alice", "--valid-only", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["created"] == 1 and Member.objects.count() == 1


def test_the_text_report_names_fields_in_chinese(alice, roster, capsys):
    call_command("roster_check", roster, "--user", "alice")
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == ["列 1 姓名 -> 姓名", "列 2 身份证号 -> 身份证号", "列 3 所属工会 -> 所属工会"]
    assert lines[3].startswith("第 2 行\tcreate") and lines[4].startswith("第 3 行\trefuse\t身份证号：")
