"""The members-per-county figures (``CountyMembers``) equal a fresh count of the register after every way
members change - one at a time through the services, in bulk through the roster import and set-based
updates and deletes - and the repair puts a wrong figure right, idempotently. Runs on SQLite (row triggers)
and, in CI, on PostgreSQL (statement triggers over transition tables)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.selectors.counties import county_figures
from membership import services
from membership.choices import MemberStatus
from membership.models import CountyMembers, Member
from membership.selectors.summaries import (
    active_members_by_county,
    member_counts_recounted,
    member_counts_summarized,
)
from membership.services.summaries import member_counts_rebuild
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import ApplicationFactory, MemberFactory, resident_id, union_in

UNION = "嘉峰煤矿工会"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def assert_equal_to_a_recount() -> dict[str, tuple[int, int]]:
    counted = member_counts_recounted()
    assert member_counts_summarized() == counted
    return counted


@pytest.fixture
def register(regions):
    union = union_in(QINSHUI, name=UNION)
    other = union_in(YANGCHENG, name="润城工会")
    members = [MemberFactory(union=union) for _ in range(3)] + [MemberFactory(union=other) for _ in range(2)]
    return union, other, members


def test_members_created_one_by_one_are_counted(register):
    assert assert_equal_to_a_recount() == {QINSHUI: (3, 3), YANGCHENG: (2, 2)}


def test_an_approval_adds_an_active_member_to_the_applicants_county(register, alice):
    union, _other, _members = register
    application = ApplicationFactory(union=union)
    services.application_approve(application=application, by=alice)
    assert assert_equal_to_a_recount()[QINSHUI] == (4, 4)


def test_leaving_and_coming_back_moves_the_active_figure_only(register, alice):
    member = register[2][0]
    member.status = MemberStatus.LAPSED
    services.member_update(member=member, by=alice)
    assert assert_equal_to_a_recount()[QINSHUI] == (2, 3)
    member.status = MemberStatus.ACTIVE
    services.member_update(member=member, by=alice)
    assert assert_equal_to_a_recount()[QINSHUI] == (3, 3)


def test_a_transfer_to_another_county_moves_the_member_between_the_figures(register, alice):
    _union, other, members = register
    services.member_transfer(member=members[0], to_union=other, by=alice)
    assert assert_equal_to_a_recount() == {QINSHUI: (2, 2), YANGCHENG: (3, 3)}


def test_a_union_moved_to_another_county_takes_its_members_figures_along(register):
    union, _other, _members = register
    union.region_id = union_in(YANGCHENG).region_id
    union.save()
    assert assert_equal_to_a_recount() == {YANGCHENG: (5, 5)}


def test_deletions_one_and_many_are_subtracted(register):
    _union, _other, members = register
    members[0].delete()
    assert assert_equal_to_a_recount()[QINSHUI] == (2, 2)
    Member.objects.filter(county=YANGCHENG).delete()
    assert assert_equal_to_a_recount() == {QINSHUI: (2, 2)}


def test_set_based_updates_are_followed(register):
    Member.objects.filter(county=QINSHUI).update(status=MemberStatus.TRANSFERRED)
    assert assert_equal_to_a_recount()[QINSHUI] == (0, 3)
    Member.objects.update(status=MemberStatus.ACTIVE)
    assert assert_equal_to_a_recount() == {QINSHUI: (3, 3), YANGCHENG: (2, 2)}
    Member.objects.update(mobile="")  # neither status nor county: the figures stay
    assert assert_equal_to_a_recount() == {QINSHUI: (3, 3), YANGCHENG: (2, 2)}


def test_a_roster_import_and_its_reimport_are_counted(register, alice, tmp_path):
    path = tmp_path / "花名册.csv"
    # Born on another day than the factory's members, whose serials come from a shared counter: a roster row
    # must never be one of them (in a long run the counter reached 700-739 and five rows were not new).
    lines = [f"会员{i},{resident_id(birth=dt.date(1986, 2, 3), serial=700 + i)},{UNION}" for i in range(40)]
    path.write_text("姓名,身份证号,所属工会\n" + "\n".join(lines) + "\n", encoding="utf-8")
    call_command("roster_import", str(path), "--user", "alice", stdout=io.StringIO(), stderr=io.StringIO())
    assert assert_equal_to_a_recount()[QINSHUI] == (43, 43)
    call_command("roster_import", str(path), "--user", "alice", stdout=io.StringIO(), stderr=io.StringIO())
    assert assert_equal_to_a_recount()[QINSHUI] == (43, 43)


def test_the_repair_puts_wrong_figures_right_and_a_second_run_changes_nothing(register, capsys):
    CountyMembers.objects.filter(county=QINSHUI).update(active=999)
    CountyMembers.objects.create(county="149999", active=5, total=5)
    CountyMembers.objects.filter(county=YANGCHENG).delete()
    assert member_counts_rebuild() == {"checked": 2, "repaired": ["140521", "140522", "149999"]}
    assert_equal_to_a_recount()
    call_command("member_counts_repair")
    assert "2 counties checked; repaired: none" in capsys.readouterr().out
    assert_equal_to_a_recount()


def test_the_county_table_reads_the_figures_not_the_register(register, carol, alice):
    assert active_members_by_county(alice) == {QINSHUI: 3}
    with CaptureQueriesContext(connection) as queries:
        rows = {row.code: row.members for row in county_figures(carol)}
    assert rows[QINSHUI] == 3 and rows[YANGCHENG] == 2
    assert not [q["sql"] for q in queries if '"membership_member"' in q["sql"]]
