"""Search by what a caller gives: a mobile's last four ("尾号1813" or "1813"), an ID's first digits or last four,
a name fragment - on the member list, the review queue and (tests/casework) the requests list - with a hint in
the box, through indexes on PostgreSQL, and never in a URL or a log line."""

import datetime as dt
import logging

import pytest
from django.db import connection
from django.urls import reverse

from membership.models import Member, MembershipApplication
from membership.selectors.lists import application_list, application_search, member_list, member_search
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import ApplicationFactory, MemberFactory, resident_id, union_in
from unionhub.personal import as_id_prefix, as_tail
from unionhub.personal.logs import MaskingFormatter, MaskPersonalNumbers

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:membership_member_changelist")
QUEUE = reverse("admin:membership_membershipapplication_changelist")
TAIL = "1813"


@pytest.fixture
def callers(regions):
    """A member whose mobile ends in 1813, one whose ID ends in the same four as a third one's mobile, and
    others: who a caller's tail finds, and who it does not."""
    union = union_in(QINSHUI, name="沁水县顺达货运有限公司工会")
    by_mobile = MemberFactory(union=union, name="欧阳建国", mobile=f"1390000{TAIL}")
    # Born on a day no factory default uses (their IDs share 1990-05-17 and a wrapping sequence, which once
    # gave the first member this very number), with a tail that a mobile can share.
    birth = dt.date(1983, 11, 29)
    rid = next(r for r in (resident_id(QINSHUI, birth=birth, serial=n) for n in range(101, 200)) if r[-4:].isdigit())
    by_id = MemberFactory(union=union, name="李秀英", resident_id=rid, mobile="13900002222")
    mobile_like_id = MemberFactory(union=union, name="张伟", mobile=f"1370000{rid[-4:]}")
    other = MemberFactory(union=union, name="王芳", mobile="13900003333")
    elsewhere = MemberFactory(union=union_in(YANGCHENG), name="赵敏", mobile=f"1380000{TAIL}")
    return {"by_mobile": by_mobile, "by_id": by_id, "mobile_like_id": mobile_like_id, "other": other,
            "elsewhere": elsewhere}  # fmt: skip


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("typed", ["1813", "尾号1813", "尾号 1813", "手机尾号1813", "后四位：1813", "１８１３"])
def test_a_mobile_tail_is_read_the_way_a_caller_says_it(typed):
    assert as_tail(typed) == "1813"


@pytest.mark.parametrize("typed", ["181", "18134", "尾号", "张伟", "13800001813", ""])
def test_other_terms_are_not_tails(typed):
    assert as_tail(typed) is None


def test_an_id_tail_may_end_in_x_and_an_id_prefix_is_6_to_17_digits():
    assert as_tail("123x") == "123X"
    assert as_id_prefix("140521") == "140521" and as_id_prefix("1405211990") == "1405211990"
    assert as_id_prefix("14052") is None and as_id_prefix("140521199005171234") is None


def test_four_digits_find_both_the_mobiles_and_the_ids_ending_in_them(callers, alice):
    tail = callers["by_id"].resident_id[-4:]
    assert pks(member_search(Member.objects.all(), tail)) == {callers["by_id"].pk, callers["mobile_like_id"].pk}
    found = pks(member_list(user=alice, search=f"尾号{TAIL}"))
    assert found == {callers["by_mobile"].pk}  # not 阳城县's member with the same tail: alice's county only


def test_a_tail_is_found_in_every_county_a_city_or_the_whole_deployment_reaches(callers, carol, root, bob):
    # The register's tail indexes begin with the county: the search asks the tail county by county.
    both = {callers["by_mobile"].pk, callers["elsewhere"].pk}
    assert pks(member_list(user=carol, search=f"尾号{TAIL}")) == both  # city staff of 晋城市: both counties
    assert pks(member_list(user=root, search=TAIL)) == both
    assert pks(member_list(user=bob, search=TAIL)) == {callers["elsewhere"].pk}  # 阳城县's own staff


def test_the_first_digits_of_an_id_and_a_name_fragment_find_the_member(callers, alice):
    rid = callers["by_id"].resident_id
    assert callers["by_id"].pk in pks(member_list(user=alice, search=rid[:14]))
    assert pks(member_list(user=alice, search=rid[:17])) == {callers["by_id"].pk}
    assert pks(member_list(user=alice, search="阳建国")) == {callers["by_mobile"].pk}  # inside the name
    assert pks(member_list(user=alice, search="欧阳")) == {callers["by_mobile"].pk}  # 2 characters: its start


def test_the_review_queue_answers_the_same_terms(regions, alice):
    union = union_in(QINSHUI)
    rid = resident_id(QINSHUI, birth=dt.date(1984, 2, 3), serial=202)
    mine = ApplicationFactory(union=union, name="欧阳建国", resident_id=rid, mobile=f"1390000{TAIL}")
    ApplicationFactory(union=union, name="王芳", mobile="13900003333")
    for term in [TAIL, f"尾号{TAIL}", rid[-4:].lower(), rid[:12], "欧阳"]:
        assert pks(application_list(user=alice, search=term)) == {mine.pk}, term
    assert pks(application_search(MembershipApplication.objects.all(), "0000")) == set()


def test_the_admin_search_box_says_what_it_takes_and_the_term_stays_out_of_the_url(callers, alice, client_for):
    client = client_for(alice)
    page = client.get(MEMBERS).content.decode()
    assert 'placeholder="姓名、手机号或尾号4位、身份证号或前几位/后4位、会员证号"' in page
    assert "手机号尾号和身份证号后4位同时查找" in page  # the ambiguity, said under the box
    response = client.post(MEMBERS, {"q": f"尾号{TAIL}", "_uh_search": "1"})
    assert response.status_code == 302 and TAIL not in response["Location"]
    listed = client.get(response["Location"])
    assert set(listed.context["cl"].result_list.values_list("pk", flat=True)) == {callers["by_mobile"].pk}
    queue = client.get(QUEUE).content.decode()
    assert 'placeholder="姓名、手机号或尾号4位、身份证号或前几位/后4位、申请编号"' in queue


def test_an_old_style_search_address_is_redirected_and_its_term_blanked_in_log_lines(callers, alice, client_for):
    response = client_for(alice).get(MEMBERS, {"q": f"尾号{TAIL}"})
    assert response.status_code == 302 and TAIL not in response["Location"]
    # What the access log (gunicorn, through MaskingFormatter) and any logger (MaskPersonalNumbers) write.
    line = f'"GET {MEMBERS}?status__exact=active&q=%E5%B0%BE%E5%8F%B7{TAIL} HTTP/1.1" 302'
    assert TAIL not in MaskingFormatter("%(message)s").format(logging.makeLogRecord({"msg": line}))
    record = logging.makeLogRecord({"msg": "search %s", "args": (f"{QUEUE}?q=140521199005&o=2",)})
    MaskPersonalNumbers().filter(record)
    assert "140521199005" not in record.getMessage() and "o=2" in record.getMessage()


@pytest.mark.postgres
def test_on_postgresql_each_kind_of_term_is_served_by_an_index(callers):
    with connection.cursor() as cursor:
        # A few rows: ask whether an index *can* serve the condition (not a walk of the order's index, filtered).
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        # And enough of them that a tail is worth its place in the index's condition (copies of a member,
        # each with its own ID, card and mobile).
        columns = [f.column for f in Member._meta.concrete_fields if not f.primary_key]
        made = {"resident_id": "lpad(n::text, 18, '0')", "card_number": "'T' || n", "mobile": "(13600000000 + n)::text"}
        cursor.execute(
            f"INSERT INTO membership_member ({', '.join(columns)}) SELECT "
            f"{', '.join(made.get(column, column) for column in columns)} FROM membership_member, "
            f"generate_series(1, 3000) n WHERE id = %s",
            [callers["other"].pk],
        )
        cursor.execute("ANALYZE membership_member")
    expected = {
        # The register's tails after the county: asked county by county, the tail inside the index's condition.
        TAIL: ["member_mobile_tail", "member_resident_id_tail", "(county)::text = ANY", 'AND ("right"((mobile)'],
        callers["by_id"].resident_id[:12]: ["resident_id"],
        "欧阳": ["member_name "],  # two characters: the start of the name, in the name's own index
    }
    for term, indexes in expected.items():
        plan = member_search(Member.objects.order_by(), term).explain()
        assert all(index in plan for index in indexes), (term, plan)
    # The same index sorts the register by name (its ties in the default order as they are read).
    plan = Member.objects.order_by("name", "-join_date", "-card_number")[:50].explain()
    assert "member_name " in plan, plan
    plan = application_search(MembershipApplication.objects.order_by(), TAIL).explain()
    assert "application_mobile_tail" in plan and "application_resident_id_tail" in plan


@pytest.mark.postgres
def test_on_postgresql_names_are_compared_by_code_point(callers):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, collation_name FROM information_schema.columns WHERE column_name = 'name' AND "
            "table_name IN ('membership_member', 'membership_historicalmember', 'membership_membershipapplication')"
        )
        assert dict(cursor.fetchall()) == dict.fromkeys(
            ["membership_member", "membership_historicalmember", "membership_membershipapplication"], "C"
        )
    names = list(Member.objects.order_by("name").values_list("name", flat=True))
    assert names == sorted(names)  # Python's order is code-point order
