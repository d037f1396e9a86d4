"""Cursor pages of the staff lists: the member list in the admin's order (newest joined first, then card
number), each member exactly once however many share a join date, a cursor of another shape refused; on
PostgreSQL, county staff's first and later pages are read through the county's join-order index, not by
walking the whole register by id."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.views.pagination import SALT
from membership.models import Member
from tests.api.conftest import V1, problem
from tests.dashboard.test_no_seq_scan import load_register, plans
from tests.factories import QINSHUI
from tests.membership.factories import MemberFactory, union_in

pytestmark = pytest.mark.django_db

MEMBERS = f"{V1}/staff/membership/members/"


def every_page(api, secret, **params) -> list[dict]:
    rows, cursor = [], None
    while True:
        page = api.get(MEMBERS, secret, **params, **({"cursor": cursor} if cursor else {})).json()
        rows += page["results"]
        cursor = page["next_cursor"]
        if not cursor:
            return rows


def test_the_member_list_pages_in_the_admins_order_each_member_once(api, alice, token_for):
    union = union_in(QINSHUI)
    day = dt.date(2026, 3, 1)
    for n in range(7):  # five share a join date: the card number orders them
        MemberFactory(union=union, join_date=day if n < 5 else day - dt.timedelta(days=n), name=f"会员{n}")
    secret = token_for(alice)
    rows = every_page(api, secret, limit=2)
    expected = list(Member.objects.filter(county=QINSHUI).order_by("-join_date", "-card_number"))
    assert [row["id"] for row in rows] == [member.pk for member in expected]
    assert [row["id"] for row in rows] != sorted((row["id"] for row in rows), reverse=True)  # not the id order
    Member.objects.filter(name__in=["会员1", "会员3", "会员6"]).update(status="lapsed")
    lapsed = every_page(api, secret, limit=1, status__exact="lapsed")
    assert [row["name"] for row in lapsed] == ["会员3", "会员1", "会员6"]


def test_a_cursor_of_another_shape_is_refused(api, alice, token_for):
    for n in range(3):
        MemberFactory(union=union_in(QINSHUI), name=f"会员{n}")
    secret = token_for(alice)
    first = api.get(MEMBERS, secret, limit=1).json()
    payload = signing.loads(first["next_cursor"], salt=SALT)
    for wrong in (5, [5], [1, 2, 3], "2026-01-01"):
        forged = signing.dumps({**payload, "k": wrong}, salt=SALT)
        response = api.get(MEMBERS, secret, limit=1, cursor=forged)
        assert response.status_code == 400 and problem(response)["type"].endswith("bad-cursor"), wrong


@pytest.mark.postgres
def test_county_staff_pages_read_the_county_join_order_index(api, alice, token_for):
    load_register()
    secret = token_for(alice)
    with CaptureQueriesContext(connection) as queries:
        first = api.get(MEMBERS, secret, limit=50).json()
        api.get(MEMBERS, secret, limit=50, cursor=first["next_cursor"])
    listed = [sql for sql in (q["sql"] for q in queries) if 'FROM "membership_member"' in sql and "LIMIT 51" in sql]
    assert len(listed) == 2
    for sql, plan in plans(listed):
        text = str(plan)
        assert "member_county_join_order" in text, sql
        assert "'Node Type': 'Sort'" not in text, text[:2000]
