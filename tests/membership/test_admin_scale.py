"""The member register at scale: identifiers found through their index however typed, a bounded number of
queries per page, estimated counts and bounded pages, ordering one index can serve."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from membership.models import Member
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import ApplicationFactory, MemberFactory, union_in
from unionhub.admin import scale

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:membership_member_changelist")
QUEUE = reverse("admin:membership_membershipapplication_changelist")
MAX_QUERIES = 8


@pytest.fixture
def members(regions):
    union = union_in(QINSHUI, name="沁水县顺达货运有限公司工会")
    return [
        MemberFactory(union=union, name=name, join_date=dt.date(2020 + i, 3, 1))
        for i, name in enumerate(["王建国", "李秀英", "张伟"])
    ]


def fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in text)


def found(client, term):
    """Search as staff do - the private search: a POST, then the list at its token - and return the rows and
    the SQL of the list page."""
    location = client.post(MEMBERS, {"q": term, "_uh_search": "1"})["Location"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(location)
    assert response.status_code == 200
    return list(response.context["cl"].result_list), [q["sql"] for q in queries.captured_queries]


def test_it_finds_a_resident_id_typed_with_spaces_lowercase_x_or_full_width_digits(alice, client_for, members):
    client = client_for(alice)
    rid = members[0].resident_id
    for typed in [rid, rid.lower(), f"{rid[:6]} {rid[6:14]} {rid[14:]}", fullwidth(rid), f" {rid} "]:
        assert found(client, typed)[0] == [members[0]], typed


def test_it_finds_a_mobile_or_card_number_however_typed(alice, client_for, members):
    target = members[1]
    client = client_for(alice)
    m = target.mobile
    for typed in [m, f"{m[:3]} {m[3:7]} {m[7:]}", f"+86 {m}", fullwidth(m)]:
        assert found(client, typed)[0] == [target], typed
    card = target.card_number
    for typed in [card, f"{card[:6]} {card[6:10]} {card[10:]}", fullwidth(card)]:
        assert found(client, typed)[0] == [target], typed


def test_the_search_sql_is_one_equality_on_the_stored_value(alice, client_for, members):
    rid = members[0].resident_id
    rows, sql = found(client_for(alice), f"{rid[:6]} {rid[6:]}".lower())
    member_sql = [s for s in sql if 'FROM "membership_member"' in s]
    assert rows == [members[0]] and member_sql
    for statement in member_sql:  # no UPPER(resident_id) = UPPER(...), no LIKE '%...%': the unique index serves it
        statement = statement.replace("''", "'")  # the count's query text, quoted inside unionhub_bounded_count()
        assert f"\"resident_id\" = '{rid}'" in statement and "UPPER" not in statement and "'%" not in statement


def test_it_finds_a_name_by_part_and_a_short_name_by_its_start(alice, client_for, members):
    client = client_for(alice)
    assert found(client, "王建国")[0] == [members[0]]
    assert found(client, "王建")[0] == [members[0]]  # two characters: the start of the name (no trigram)
    members[1].name = "欧阳秀英"
    members[1].save()
    assert found(client, "阳秀英")[0] == [members[1]]  # three or more: anywhere in the name (trigram index)


def test_a_member_list_page_costs_at_most_eight_queries(alice, carol, root, client_for, members):
    for user in (alice, carol, root):
        client = client_for(user)
        client.get(MEMBERS)  # session, first-request caches
        token = client.post(MEMBERS, {"q": "王建国", "_uh_search": "1"})["Location"].split("q_token=")[1]
        client.get(MEMBERS, {"q_token": token})
        for params in [{}, {"status": "active"}, {"join_date__year": "2021"}, {"o": "2"}, {"q_token": token},
                       {"pool": "yes"}, {"p": "2"}]:  # fmt: skip
            with CaptureQueriesContext(connection) as queries:
                response = client.get(MEMBERS, params)
            assert response.status_code in (200, 302), params
            assert len(queries) <= MAX_QUERIES, (user.username, params, [q["sql"] for q in queries])


def test_the_review_queue_costs_at_most_eight_queries(alice, client_for, members):
    client = client_for(alice)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    assert len(queries) <= MAX_QUERIES, [q["sql"] for q in queries]


def test_a_queue_page_is_chosen_by_its_keys_and_only_its_rows_are_joined(alice, carol, client_for, monkeypatch):
    """``page_keys_first``: the page is the one Django would show - same scope, filter, order and slice - but
    the union, county, station and source joins are made for its rows only (one query still)."""
    from django.utils import timezone

    from membership.admin import MembershipApplicationAdmin

    monkeypatch.setattr(MembershipApplicationAdmin, "list_per_page", 3)
    start = timezone.now() - dt.timedelta(days=1)
    mine = [ApplicationFactory(union=union_in(QINSHUI), submitted_at=start + dt.timedelta(minutes=7 * i))
            for i in range(7)]  # fmt: skip
    theirs = [ApplicationFactory(union=union_in(YANGCHENG), submitted_at=start + dt.timedelta(minutes=7 * i + 3))
              for i in range(4)]  # fmt: skip
    for user, expected in [(alice, mine), (carol, sorted(mine + theirs, key=lambda a: a.submitted_at))]:
        client = client_for(user)
        shown = []
        for page in (1, 2, 3, 4):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(QUEUE, {"p": page})
            if response.status_code == 302:  # past the last page
                break
            shown += [application.pk for application in response.context["cl"].result_list]
            (page_sql,) = [q["sql"] for q in queries.captured_queries if '"id" IN (SELECT U0."id" AS "pk"' in q["sql"]]
            outer, _, inner = page_sql.partition(" IN (SELECT ")
            assert "JOIN" in outer and "JOIN" not in inner and " LIMIT " in inner, page_sql
        assert shown == [application.pk for application in expected], user.username


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "all"}, {"status": "all", "o": "1"}, {"status": "all", "o": "-1"}, {"status": "all", "o": "2"},
     {"status": "all", "o": "-3"}, {"status": "all", "o": "4"}, {"status": "all", "o": "-4"},
     {"status": "all", "o": "6.-3"}, {"status": "all", "channel__exact": "direct"}],
)  # fmt: skip
def test_keys_first_shows_the_pages_django_would_show_however_sorted_or_filtered(
    alice, carol, client_for, monkeypatch, params
):
    """The same pages, row for row, with ``page_keys_first`` on and off: sorted by every column either way (ties
    on the time, the name and the union, an application without a union), filtered, searched, as county and
    as city staff."""
    from django.utils import timezone

    from membership.admin import MembershipApplicationAdmin
    from membership.choices import ApplicationStatus, Channel

    monkeypatch.setattr(MembershipApplicationAdmin, "list_per_page", 3)
    at = timezone.now() - dt.timedelta(hours=5)
    unions = [union_in(QINSHUI, name="沁水县乙工会"), union_in(QINSHUI, name="沁水县甲工会"), union_in(YANGCHENG)]
    for i in range(10):
        ApplicationFactory(
            union=unions[i % 3], name="王芳" if i % 4 == 0 else f"申请人{i % 3}",
            submitted_at=at + dt.timedelta(minutes=i // 2),
            channel=Channel.DIRECT if i % 2 else Channel.STATION_QR,
            status=ApplicationStatus.REJECTED if i == 7 else ApplicationStatus.PENDING,
            rejection_reason="重复申请" if i == 7 else "",
        )  # fmt: skip
    ApplicationFactory(union=None, county_id=QINSHUI, name="王芳", submitted_at=at)

    def pages(client, extra):
        shown = []
        for page in range(1, 6):
            response = client.get(QUEUE, {**params, **extra, "p": page})
            if response.status_code == 302:
                break
            shown += [application.pk for application in response.context["cl"].result_list]
        return shown

    for user in (alice, carol):
        client = client_for(user)
        token = client.post(QUEUE, {"q": "王芳", "_uh_search": "1"})["Location"].split("q_token=")[1]
        for extra in ({}, {"q_token": token}):
            monkeypatch.setattr(MembershipApplicationAdmin, "page_keys_first", False)
            expected = pages(client, extra)
            monkeypatch.setattr(MembershipApplicationAdmin, "page_keys_first", True)
            assert pages(client, extra) == expected and expected, (user.username, params, extra)


def test_the_date_hierarchy_offers_every_year_between_the_first_and_the_last(alice, client_for, members):
    response = client_for(alice).get(MEMBERS)
    text = response.content.decode()
    for year in (2020, 2021, 2022):
        assert f"join_date__year={year}" in text
    with CaptureQueriesContext(connection) as queries:
        client_for(alice).get(MEMBERS)
    assert not any("DISTINCT" in q["sql"] and "join_date" in q["sql"] for q in queries.captured_queries)


def test_pages_stop_at_the_bound_and_say_so(alice, client_for, members, monkeypatch):
    monkeypatch.setattr(scale.EstimatedCountPaginator, "max_pages", 1)
    monkeypatch.setattr(type(alice), "_dummy", None, raising=False)
    from membership.admin import MemberAdmin

    monkeypatch.setattr(MemberAdmin, "list_per_page", 2)
    client = client_for(alice)
    response = client.get(MEMBERS)
    assert response.context["cl"].pages_truncated
    assert "narrow the list" in response.content.decode() or "缩小" in response.content.decode()
    assert client.get(MEMBERS, {"p": "2"}).status_code == 302  # beyond the bound: back to the list (?e=1)


def test_a_sorted_column_breaks_ties_by_the_default_order_in_the_same_direction(alice, client_for, members):
    client = client_for(alice)

    def ordering(params):
        response = client.get(MEMBERS, params)
        return response.context["cl"].get_ordering(response.wsgi_request, Member.objects.all())

    # One index (name, join_date, card_number) serves both directions.
    assert ordering({"o": "2"}) == ["name", "join_date", "card_number"]
    assert ordering({"o": "-2"}) == ["-name", "-join_date", "-card_number"]
    assert ordering({"o": "7"}) == ["join_date", "card_number"]  # join date: the card number breaks ties


def test_a_large_count_is_the_planners_estimate_shown_as_about(alice, client_for, members, monkeypatch):
    monkeypatch.setattr(scale, "bounded_count", lambda queryset: scale.Count.estimate(1_234_567))
    response = client_for(alice).get(MEMBERS)
    cl = response.context["cl"]
    assert cl.result_count == 1_234_567 and cl.result_count_estimated
    assert "1,234,567" in response.content.decode() or "1234567" in response.content.decode()
    assert "约" in response.content.decode()
    # Above the list too, where Django writes "N results": never the estimate as if it were exact.
    shown = re.findall(r'class="estimated-count"[^>]*>([^<]*)<', response.content.decode())
    assert [text.replace(",", "") for text in shown] == ["约 1234567 条结果", "约 1234567"]
    assert not re.search(r"(?<!约 )1,?234,?567 条结果", response.content.decode())


@pytest.mark.postgres
def test_on_postgresql_the_searches_use_their_index(members):
    from membership.selectors.lists import member_search
    from unionhub.personal import as_mobile

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a three-row table: ask whether an index *can* serve it
    for term in [members[0].resident_id.lower(), members[1].mobile, members[2].card_number, "建国x"]:
        qs = member_search(Member.objects.all(), term)  # the admin's private search and the export alike
        plan = qs.explain()
        assert "Index" in plan, (term, plan)
    assert as_mobile("139 0000 0000") == "13900000000"


def test_status_and_source_are_filters_not_sorts_even_asked_for_by_address(alice, client_for, members):
    """No header link, and ``?o=`` with their column index keeps the default order (no sort of the county)."""
    response = client_for(alice).get(MEMBERS, {"o": "8.9"})  # status, source (after the row checkbox)
    changelist = response.context["cl"]
    assert changelist.get_ordering(response.wsgi_request, Member.objects.all()) == ["-join_date", "-card_number"]
    headers = {h["text"]: h["sortable"] for h in response.context["result_headers"]}
    assert [sortable for text, sortable in headers.items() if text in ("状态", "来源")] == [False, False]
    assert headers["姓名"] is True


def test_the_union_column_sorts_by_the_key_its_index_serves(alice, client_for, members):
    response = client_for(alice).get(MEMBERS, {"o": "5"})  # the union column
    ordering = response.context["cl"].get_ordering(response.wsgi_request, Member.objects.all())
    assert ordering == ["union_id", "join_date", "card_number"]


def test_a_filter_with_too_many_choices_is_not_shown_but_still_filters(alice, client_for, members, monkeypatch):
    from unionhub.admin import base

    monkeypatch.setattr(base, "MAX_FILTER_CHOICES", 0)
    union = members[0].union
    response = client_for(alice).get(MEMBERS, {"union__id__exact": union.pk})
    assert not any(isinstance(f, base.ScopedRelatedFieldListFilter) for f in response.context["cl"].filter_specs
                   if f.has_output())  # fmt: skip
    assert len(response.context["cl"].result_list) == 3


def test_a_filter_with_too_many_choices_keeps_only_enough_to_say_so(alice, client_for, members, monkeypatch):
    from django.core.cache import cache

    from unionhub.admin import base

    union_in(QINSHUI, name="沁水县第二货运公司工会")
    union_in(QINSHUI, name="沁水县第三货运公司工会")  # three unions in alice's reach, one filter choice shown
    cache.clear()
    monkeypatch.setattr(base, "MAX_FILTER_CHOICES", 1)
    stored = {}
    monkeypatch.setattr(base.cache, "set", lambda key, value, *args, **kwargs: stored.__setitem__(key, value))
    response = client_for(alice).get(MEMBERS)
    assert not any(isinstance(f, base.ScopedRelatedFieldListFilter) for f in response.context["cl"].filter_specs)
    (choices,) = [value for key, value in stored.items() if key.startswith("listfilter:membership.member:union:")]
    assert len(choices) == 2  # one more than may be shown: enough to say "too many", not the whole list


def test_the_date_hierarchys_ends_are_kept_per_list(alice, client_for, members):
    client = client_for(alice)
    client.get(MEMBERS)
    with CaptureQueriesContext(connection) as queries:
        text = client.get(MEMBERS).content.decode()
    assert "join_date__year=2022" in text
    assert not any("join_date" in q["sql"] and "LIMIT 1" in q["sql"] and "SELECT (SELECT" in q["sql"]
                   for q in queries.captured_queries)  # fmt: skip
    response = client.get(MEMBERS, {"status": "lapsed"})  # another list: its own ends (none lapsed)
    assert "join_date__year=2022" not in response.content.decode()
