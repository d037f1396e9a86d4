"""The member register and the review queue as list selectors: scope and permission once, then the FilterSet
(named as the changelist's parameters), then the identifier-aware search - and the background export, which
reads through ``member_list``, gives exactly the rows of the changelist it was started from."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from membership.choices import ApplicationStatus, Channel
from membership.filtersets import ApplicationFilterSet, MemberFilterSet
from membership.models import Member, MemberExport
from membership.selectors.lists import application_list, member_list, members_reached
from membership.services import exports
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import ApplicationFactory, MemberFactory, holding_pool, union_in
from unionhub.models import JobStatus

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:membership_member_changelist")
APPLICATIONS = reverse("admin:membership_membershipapplication_changelist")
START = reverse("admin:membership_member_export_job")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def register(regions):
    """沁水县: a company union with members of every status, source, occupation and join year, and the county's
    holding pool; 阳城县: one union."""
    shunda = union_in(QINSHUI, name="沁水县顺达货运有限公司工会")
    pool = holding_pool(QINSHUI)
    yangcheng = union_in(YANGCHENG, name="阳城县某公司工会")
    people = {
        "zhang": MemberFactory(union=shunda, name="张建国", join_date=dt.date(2024, 6, 3)),
        "li": MemberFactory(union=shunda, name="李建华", status="lapsed", join_date=dt.date(2024, 6, 20)),
        "wang": MemberFactory(union=shunda, name="王芳", occupation="courier", join_date=dt.date(2025, 1, 9)),
        "zhao": MemberFactory(union=pool, name="赵建国", join_date=dt.date(2025, 11, 30)),
        "sun": MemberFactory(union=shunda, name="孙丽", status="transferred", join_date=dt.date(2023, 2, 1)),
        "far": MemberFactory(union=yangcheng, name="张建国", join_date=dt.date(2024, 6, 5)),
    }
    Member.objects.filter(pk=people["wang"].pk).update(source="online")
    Member.objects.filter(pk=people["zhao"].pk).update(source="online")
    return {"shunda": shunda, "pool": pool, "yangcheng": yangcheng, **people}


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


# --- scope and permission ---------------------------------------------------------------------------------


def test_a_county_user_gets_only_their_county(register, alice, bob):
    assert names(member_list(user=alice)) == ["孙丽", "张建国", "李建华", "王芳", "赵建国"]
    assert names(member_list(user=bob)) == ["张建国"]


def test_a_city_user_gets_the_counties_below(register, carol):
    assert member_list(user=carol).count() == 6


def test_without_the_view_permission_the_list_is_refused(register, dave):
    """Documented choice (unionhub.lists): PermissionDenied, not an empty list that looks like "nothing there"."""
    with pytest.raises(PermissionDenied):
        member_list(user=dave)
    assert not members_reached(dave).exists()  # the scoped base alone: a station manager reaches no member


def test_the_scoped_base_is_the_changelists_queryset(register, alice, client_for):
    """One place: the admin's changelist reads its rows from the selector's scoped base, same SQL."""
    from django.contrib import admin

    response = client_for(alice).get(MEMBERS)
    model_admin = admin.site._registry[Member]
    request = response.wsgi_request
    assert str(model_admin.get_queryset(request).query) == str(
        members_reached(alice, Member.objects.all().order_by(*Member._meta.ordering)).query
    )


# --- filters ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status__exact": "lapsed"}, ["李建华"]),
        ({"source__exact": "online"}, ["王芳", "赵建国"]),
        ({"occupation__exact": "courier"}, ["王芳"]),
        ({"pool": "yes"}, ["赵建国"]),
        ({"pool": "no", "status__exact": "active"}, ["张建国", "王芳"]),
        ({"join_date__gte": "2025-01-01", "join_date__lt": "2026-01-01"}, ["王芳", "赵建国"]),
        ({"join_date__year": "2024"}, ["张建国", "李建华"]),
        ({"join_date__year": "2024", "join_date__month": "6", "join_date__day": "20"}, ["李建华"]),
        ({"join_date__month": "6"}, ["孙丽", "张建国", "李建华", "王芳", "赵建国"]),  # no year: no filter (as Django)
        ({"p": "3", "o": "2", "q_token": "x", "all": ""}, ["孙丽", "张建国", "李建华", "王芳", "赵建国"]),
    ],
)
def test_filters_are_the_changelists_parameters(register, alice, filters, expected):
    assert names(member_list(user=alice, filters=filters)) == expected


def test_the_union_filter(register, alice):
    assert names(member_list(user=alice, filters={"union__id__exact": register["pool"].pk})) == ["赵建国"]
    # Another county's union as a filter narrows alice's list to nothing; it never widens her scope.
    assert not member_list(user=alice, filters={"union__id__exact": register["yangcheng"].pk}).exists()


def test_a_malformed_filter_is_refused_not_ignored(register, alice):
    with pytest.raises(ValidationError):
        member_list(user=alice, filters={"status__exact": "nonsense"})
    with pytest.raises(ValidationError):
        member_list(user=alice, filters={"join_date__year": "2024", "join_date__month": "13"})


def test_the_filtersets_have_chinese_labels(register):
    labels = {name: str(f.label) for name, f in MemberFilterSet.base_filters.items()}
    assert labels["status__exact"] == "状态" and labels["pool"] == "会员周转库"
    assert all(label and not label.isascii() for label in labels.values()), labels
    queue = {name: str(f.label) for name, f in ApplicationFilterSet.base_filters.items()}
    assert all(label and not label.isascii() for label in queue.values()), queue


# --- search -----------------------------------------------------------------------------------------------


def test_search_by_id_mobile_and_card_typed_any_way(register, alice):
    zhang = register["zhang"]
    spaced_id = f"{zhang.resident_id[:6]} {zhang.resident_id[6:14]} {zhang.resident_id[14:]}".lower()
    fullwidth_mobile = zhang.mobile.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    dashed_card = f"{zhang.card_number[:6]}-{zhang.card_number[6:10]}-{zhang.card_number[10:]}"
    for term in (zhang.resident_id, spaced_id, fullwidth_mobile, f"+86 {zhang.mobile}", dashed_card):
        assert list(member_list(user=alice, search=term)) == [zhang], term


def test_an_identifier_is_one_equality_not_a_scan(register, alice):
    zhang = register["zhang"]
    with CaptureQueriesContext(connection) as queries:
        list(member_list(user=alice, search=zhang.mobile))
    (sql,) = [q["sql"] for q in queries.captured_queries if 'FROM "membership_member"' in q["sql"]]
    assert f"\"mobile\" = '{zhang.mobile}'" in sql or '"mobile" = %s' in sql
    assert "LIKE" not in sql.upper().replace("ILIKE", "")


def test_search_by_name_stays_inside_the_scope_and_the_filters(register, alice, carol):
    # Three characters match anywhere (pg_trgm on PostgreSQL); two match the start of the name there
    # (unionhub.search), anywhere on SQLite - so the short term here is a surname.
    assert names(member_list(user=alice, search="张建国")) == ["张建国"]
    assert names(member_list(user=carol, search="张建国")) == ["张建国", "张建国"]
    assert names(member_list(user=alice, search="赵建")) == ["赵建国"]
    assert names(member_list(user=alice, search="赵建国", filters={"pool": "yes"})) == ["赵建国"]
    assert not member_list(user=alice, search="张建国", filters={"pool": "yes"}).exists()
    assert not member_list(user=alice, search=register["far"].resident_id).exists()  # 阳城县's member


# --- the review queue -------------------------------------------------------------------------------------


@pytest.fixture
def queue(register):
    shunda = register["shunda"]
    long_ago = timezone.now() - dt.timedelta(hours=3)
    return {
        "new": ApplicationFactory(union=shunda, name="刘新"),
        "late": ApplicationFactory(union=shunda, name="陈迟", submitted_at=long_ago, channel=Channel.STATION_QR),
        "approved": ApplicationFactory(union=shunda, name="周准", status=ApplicationStatus.APPROVED),
        "theirs": ApplicationFactory(union=register["yangcheng"], name="吴远"),
    }


def test_the_queue_opens_on_the_pending_applications_of_the_county(queue, alice, carol):
    assert names(application_list(user=alice)) == ["刘新", "陈迟"]
    assert names(application_list(user=alice, filters={"status": "all"})) == ["刘新", "周准", "陈迟"]
    assert names(application_list(user=alice, filters={"status": "approved"})) == ["周准"]
    assert names(application_list(user=alice, filters={"waiting": "overdue"})) == ["陈迟"]
    assert names(application_list(user=alice, filters={"channel__exact": "station"})) == ["陈迟"]
    assert names(application_list(user=carol, filters={"county__code__exact": YANGCHENG})) == ["吴远"]


def test_the_queue_is_searched_by_reference_id_mobile_or_name(queue, alice):
    late = queue["late"]
    assert list(application_list(user=alice, search=late.reference.lower())) == [late]
    assert list(application_list(user=alice, search=late.resident_id)) == [late]
    assert list(application_list(user=alice, search=late.mobile)) == [late]
    assert list(application_list(user=alice, search="陈迟")) == [late]
    assert not application_list(user=alice, search=queue["theirs"].resident_id).exists()


# --- the export reads the changelist's rows ---------------------------------------------------------------


def changelist_ids(client, url, params: dict, search: str = "") -> tuple[set, str]:
    """The changelist's whole filtered (and searched) list, and the query string it was opened at."""
    if search:
        location = client.post(f"{url}?{urlencode(params)}", {"q": search, "_uh_search": "1"})["Location"]
        response = client.get(location)
        query = location.split("?", 1)[1]
    else:
        response = client.get(url, params)
        query = urlencode(params)
    assert response.status_code == 200 and "e=1" not in response.get("Location", "")
    return set(response.context["cl"].queryset.values_list("pk", flat=True)), query


MEMBER_COMBOS = [
    ({}, ""),
    ({"status__exact": "active"}, ""),
    ({"status__exact": "lapsed", "p": "1"}, ""),
    ({"pool": "yes"}, ""),
    ({"pool": "no", "source__exact": "online"}, ""),
    ({"occupation__exact": "delivery_rider", "status__exact": "active"}, ""),
    ({"join_date__gte": "2025-01-01", "join_date__lt": "2026-01-01"}, ""),
    ({"join_date__year": "2024", "join_date__month": "6"}, ""),
    ({"o": "2.-7"}, "建国"),
    ({"status__exact": "active"}, "建"),
]


@pytest.mark.parametrize(("params", "search"), MEMBER_COMBOS)
@pytest.mark.parametrize("who", ["alice", "carol", "root"])
def test_an_export_reads_exactly_the_changelists_rows(register, people, client_for, who, params, search):
    user = people[who]
    shown, query = changelist_ids(client_for(user), MEMBERS, params, search)
    exported = exports.member_export_queryset(user=user, query=query, search=search)
    assert set(exported.values_list("pk", flat=True)) == shown


def test_the_union_filter_and_an_id_search_read_the_same_rows_too(register, alice, client_for):
    client = client_for(alice)
    for params, search in [({"union__id__exact": register["shunda"].pk}, ""), ({}, register["li"].resident_id)]:
        shown, query = changelist_ids(client, MEMBERS, params, search)
        exported = exports.member_export_queryset(user=alice, query=query, search=search)
        assert set(exported.values_list("pk", flat=True)) == shown


def test_an_export_started_from_a_filtered_changelist_writes_its_rows(
    register, alice, client_for, django_capture_on_commit_callbacks
):
    """End to end: the list's query string and search token posted by the page, the job, the file."""
    client = client_for(alice)
    shown, query = changelist_ids(client, MEMBERS, {"pool": "no", "join_date__year": "2024"}, "张建国")
    assert shown == {register["zhang"].pk}  # 阳城县's 张建国 is out of scope, 赵建国 in the pool
    with django_capture_on_commit_callbacks(execute=True):
        client.post(START, {"query": query, "_fmt": "csv"})
    export = MemberExport.objects.get()
    assert export.job.status == JobStatus.DONE and export.rows == 1
    with export.file.open("rb") as handle:
        body = handle.read().decode("utf-8-sig")
    assert register["zhang"].resident_id in body and register["li"].resident_id not in body


def test_an_export_whose_requester_lost_the_permission_ends_with_a_message(
    register, alice, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group, Permission

    with django_capture_on_commit_callbacks(execute=True):
        export = exports.member_export_request(user=alice, query="", file_format="csv")
    for group in Group.objects.filter(user=alice):
        group.permissions.remove(*Permission.objects.filter(codename__in=["view_member", "change_member"]))
    alice.user_permissions.clear()
    alice = type(alice).objects.get(pk=alice.pk)  # a fresh user: no cached permissions
    with pytest.raises(ValidationError):
        exports.member_export_queryset(user=alice, query=export.query)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "all"},
        {"status": "approved"},
        {"waiting": "overdue"},
        {"channel__exact": "station"},
        {"occupation__exact": "delivery_rider", "status": "all"},
        {"county__code__exact": QINSHUI, "status": "all"},  # a link written before the area filter
        {"area": QINSHUI, "status": "all"},
        {"source_station__isnull": "True"},
    ],
)
@pytest.mark.parametrize("who", ["alice", "carol"])
def test_the_queue_selector_reads_the_queues_rows(queue, people, client_for, who, params):
    user = people[who]
    shown, query = changelist_ids(client_for(user), APPLICATIONS, params)
    assert set(application_list(user=user, filters=QueryDict(query)).values_list("pk", flat=True)) == shown


def test_a_filter_the_list_does_not_know_is_refused_and_no_export_starts(register, alice, client_for):
    """The changelist accepts other lookups on its filtered fields (``status__in``); the FilterSet does not know
    them, and ignoring one would export more rows than the list shows."""
    with pytest.raises(ValidationError):
        member_list(user=alice, filters={"status__in": "lapsed"})
    client = client_for(alice)
    response = client.post(START, {"query": "status__in=lapsed&p=2&_facets=1", "_fmt": "csv"}, follow=True)
    assert not MemberExport.objects.exists()
    assert "无法识别以下筛选条件：status__in" in response.content.decode()
    client.post(START, {"query": "status__exact=lapsed&p=2&_facets=1&o=3", "_fmt": "csv"})
    assert MemberExport.objects.get().query == "status__exact=lapsed"


@pytest.mark.parametrize(
    "params",
    [{"occupation": "courier"}, {"status": "lapsed"}, {"union": "UNION"}, {"union_id": "UNION", "source": "manual"}],
)
def test_a_filter_named_plainly_reads_as_the_changelist_reads_it(register, alice, client_for, params):
    """Django's changelist also takes ``occupation=courier`` for a list filter's field (links by hand, the
    benchmark's export): the selector reads it as the filter it means."""
    params = {key: register["shunda"].pk if value == "UNION" else value for key, value in params.items()}
    shown, query = changelist_ids(client_for(alice), MEMBERS, params)
    assert set(exports.member_export_queryset(user=alice, query=query).values_list("pk", flat=True)) == shown
    assert shown
