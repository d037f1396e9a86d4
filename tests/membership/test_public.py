"""The worker's side: the join page reached by QR code, the reference number, the status page, rate limits."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from membership import services
from membership.choices import ApplicationStatus, Channel
from membership.models import Member, MembershipApplication
from tests.factories import JIAFENG, QINSHUI, UnionOrganizationFactory
from tests.membership.factories import ApplicationFactory, MemberFactory, holding_pool, resident_id, union_in
from tests.stations.factories import StationFactory

pytestmark = pytest.mark.django_db

JOIN = reverse("membership:join")
STATUS = reverse("membership:status")


@pytest.fixture
def station(regions):
    holding_pool(QINSHUI)
    return StationFactory(region_id=JIAFENG, name="嘉峰镇工会驿站", code="140521104-R-001")


def application_data(**overrides):
    return {
        "name": "王师傅",
        "resident_id": resident_id(QINSHUI),
        "mobile": "139 1234 5678",
        "employer": "满帮货运平台",
        "occupation": "truck_driver",
        "union": "",
        "consent": "on",
    } | overrides


def submit(client, url=JOIN, ip="10.0.0.1", **overrides):
    return client.post(url, application_data(**overrides), REMOTE_ADDR=ip)


def test_a_station_qr_code_opens_the_join_page_saying_where_the_worker_is(client, station):
    response = client.get(f"{JOIN}?station={station.code}")
    assert response.status_code == 200
    text = response.content.decode()
    assert station.name in text
    assert 'name="resident_id"' in text and 'name="consent"' in text
    assert 'name="gender"' not in text and 'name="birth_date"' not in text
    assert 'name="county"' not in text  # the station says which county


def test_a_submission_from_a_station_qr_code_is_recorded_with_its_source_and_consent(client, station, settings):
    response = submit(client, f"{JOIN}?station={station.code}&event=summer-fair")
    application = MembershipApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("membership:submitted", args=[application.reference])
    assert (application.source_station, application.channel, application.event) == (
        station,
        Channel.STATION_QR,
        "summer-fair",
    )
    assert application.county_id == QINSHUI and application.union is None
    assert application.consent_version == settings.MEMBERSHIP_PRIVACY_NOTICE_VERSION
    assert application.mobile == "13912345678"
    assert application.status == ApplicationStatus.PENDING


def test_a_union_qr_code_fixes_the_union(client, regions):
    union = union_in(QINSHUI, name="沁水县快递外卖行业工会联合会测试")
    response = client.get(f"{JOIN}?union={union.pk}")
    assert union.name in response.content.decode() and 'name="union"' not in response.content.decode()
    submit(client, f"{JOIN}?union={union.pk}")
    application = MembershipApplication.objects.get()
    assert (application.union, application.source_union, application.channel) == (union, union, Channel.UNION_QR)


def test_a_county_federations_qr_code_at_a_pop_up_desk_routes_to_its_county(client, regions):
    holding_pool(QINSHUI)
    federation = UnionOrganizationFactory(
        name="沁水县总工会测试", kind="county", region_id=QINSHUI, credit_code=None, employer=""
    )
    page = client.get(f"{JOIN}?union={federation.pk}&event=pop-up")
    text = page.content.decode()
    assert 'name="union"' in text and 'name="county"' not in text  # its county's unions to choose from
    submit(client, f"{JOIN}?union={federation.pk}&event=pop-up", resident_id=resident_id("110105"))
    application = MembershipApplication.objects.get()
    assert (application.source_union, application.union, application.county_id) == (federation, None, QINSHUI)
    assert (application.channel, application.event) == (Channel.UNION_QR, "pop-up")


def test_the_submission_path_is_one_statement(client, station):
    client.get(f"{JOIN}?station={station.code}")  # warm the per-process source cache, as a running server has it
    with CaptureQueriesContext(connection) as queries:
        response = submit(client, f"{JOIN}?station={station.code}")
    assert response.status_code == 302
    # One INSERT, which asks the member register for the county of a transfer request (the savepoint is the
    # test's transaction: a web request has none).
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert [s for s in statements if s not in {"SAVEPOINT", "RELEASE"}] == ["INSERT"]


def test_the_answer_is_the_same_for_a_member_and_for_a_newcomer(client, station):
    member = MemberFactory(union=union_in(QINSHUI))
    newcomer = resident_id(QINSHUI)
    for_member = submit(client, resident_id=member.resident_id, ip="10.0.0.2")
    for_newcomer = submit(client, resident_id=newcomer, ip="10.0.0.3")
    assert for_member.status_code == for_newcomer.status_code == 302
    pattern = re.compile(r"^/join/submitted/[A-Z0-9]{8}/$")
    assert pattern.match(for_member["Location"]) and pattern.match(for_newcomer["Location"])
    page_member = client.get(for_member["Location"]).content.decode()
    page_newcomer = client.get(for_newcomer["Location"]).content.decode()
    strip = re.compile(r"[A-Z0-9]{8}|[A-Z0-9]{4}")
    assert strip.sub("", page_member) == strip.sub("", page_newcomer)
    assert Member.objects.filter(resident_id=member.resident_id).count() == 1


def test_missing_consent_or_a_bad_id_number_writes_nothing(client, station):
    assert submit(client, consent="").status_code == 400
    response = submit(client, resident_id="110105194912310021")
    assert response.status_code == 400
    assert 'id="id_resident_id-error"' in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_a_direct_visitor_from_another_province_is_asked_for_the_county(client, station):
    response = submit(client, resident_id=resident_id("110105"))
    assert response.status_code == 400 and "county" in response.context["form"].errors
    assert submit(client, resident_id=resident_id("110105"), county=QINSHUI).status_code == 302
    assert MembershipApplication.objects.get().county_id == QINSHUI


def test_the_submitted_page_shows_the_reference_and_looks_nothing_up(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("membership:submitted", args=["ABCD2345"]))
    assert response.status_code == 200 and 'data-reference="ABCD2345"' in response.content.decode()
    assert client.get("/join/submitted/abc/").status_code == 404


@pytest.mark.parametrize("status", ["pending", "approved", "rejected"])
def test_the_status_page_shows_the_decision_for_reference_and_mobile(client, station, status):
    application = ApplicationFactory(union=union_in(QINSHUI), mobile="13912345678")
    if status == "approved":
        member = services.application_approve(application=application)
    elif status == "rejected":
        services.application_reject(application=application, reason="请补充工作单位信息")
    response = client.post(
        STATUS, {"reference": application.reference.lower(), "mobile": "+86 139-1234-5678"}, REMOTE_ADDR="10.0.0.9"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert f'data-status="{status}"' in text
    if status == "approved":
        assert member.card_number in text
    if status == "rejected":
        assert "请补充工作单位信息" in text


def test_a_wrong_mobile_number_looks_exactly_like_a_wrong_reference(client, regions):
    application = ApplicationFactory(union=union_in(QINSHUI), mobile="13912345678")
    wrong_mobile = client.post(STATUS, {"reference": application.reference, "mobile": "13800000000"})
    wrong_reference = client.post(STATUS, {"reference": "ZZZZ2222", "mobile": "13912345678"})
    assert wrong_mobile.status_code == wrong_reference.status_code == 404
    assert 'id="not-found"' in wrong_mobile.content.decode()
    assert wrong_mobile.content.decode().replace(application.reference, "ZZZZ2222").count("not-found") == 1


def test_the_status_link_from_the_submitted_page_fills_in_the_reference(client):
    response = client.get(f"{STATUS}?ref=ABCD2345")
    assert 'value="ABCD2345"' in response.content.decode()


def test_the_qr_code_is_an_svg_of_the_absolute_join_link(client, station, settings):
    settings.PUBLIC_BASE_URL = "https://union.example.cn"
    response = client.get(f"{reverse('membership:qr')}?station={station.code}")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


def test_a_delisted_or_unknown_station_code_still_gives_a_working_page(client, station):
    response = client.get(f"{JOIN}?station=NOPE")
    assert response.status_code == 200 and 'name="county"' in response.content.decode()


# --- rate limits -----------------------------------------------------------------------------------------


def test_one_address_is_limited_with_a_clear_message(client, station, settings):
    settings.MEMBERSHIP_JOIN_RATE_PER_IP = "2/m"
    assert submit(client, ip="10.1.1.1").status_code == 302
    assert submit(client, ip="10.1.1.1").status_code == 302
    limited = submit(client, ip="10.1.1.1")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert 'id="limited"' in limited.content.decode()
    assert submit(client, ip="10.1.1.2").status_code == 302  # another address is not affected
    assert MembershipApplication.objects.count() == 3


def test_one_id_number_is_limited_whatever_the_address_and_however_it_is_typed(client, station, settings):
    settings.MEMBERSHIP_JOIN_RATE_PER_ID = "2/h"
    rid = resident_id(QINSHUI, serial=7)
    assert submit(client, ip="10.2.0.1", resident_id=rid).status_code == 302
    assert submit(client, ip="10.2.0.2", resident_id=rid.lower()).status_code == 302
    assert submit(client, ip="10.2.0.3", resident_id=" ".join([rid[:6], rid[6:]])).status_code == 429
    assert submit(client, ip="10.2.0.4").status_code == 302  # another person from a fourth address
    assert MembershipApplication.objects.filter(resident_id=rid).count() == 2


def test_the_status_page_is_limited_per_address(client, regions, settings):
    settings.MEMBERSHIP_STATUS_RATE_PER_IP = "3/m"
    for _ in range(3):
        assert client.post(STATUS, {"reference": "ZZZZ2222", "mobile": "13800000000"}).status_code == 404
    assert client.post(STATUS, {"reference": "ZZZZ2222", "mobile": "13800000000"}).status_code == 429


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(client, station, settings):
    settings.MEMBERSHIP_JOIN_RATE_PER_IP = "1/m"
    spoofed = {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}
    assert client.post(JOIN, application_data(), REMOTE_ADDR="10.3.0.1", **spoofed).status_code == 302
    # Without a trusted proxy the header is ignored: same REMOTE_ADDR, same counter.
    assert (
        client.post(JOIN, application_data(), REMOTE_ADDR="10.3.0.1", HTTP_X_FORWARDED_FOR="5.6.7.8").status_code == 429
    )
    settings.TRUSTED_PROXY_COUNT = 1
    assert (
        client.post(JOIN, application_data(), REMOTE_ADDR="10.3.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9").status_code == 302
    )


@pytest.mark.redis
def test_rate_limit_counters_live_in_redis_and_never_hold_the_id_number(client, station, settings):
    import redis

    settings.MEMBERSHIP_JOIN_RATE_PER_ID = "1/h"
    rid = resident_id(QINSHUI, serial=11)
    assert submit(client, ip="10.4.0.1", resident_id=rid).status_code == 302
    assert submit(client, ip="10.4.0.2", resident_id=rid).status_code == 429  # another worker process, same Redis
    keys = [k.decode() for k in redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).keys("*rl:*")]
    assert keys and not any(rid in key or "10.4.0.1" in key for key in keys)


@pytest.mark.redis
def test_a_submission_counts_its_address_and_its_person_in_one_round_trip_to_redis(client, station, redis_commands):
    assert submit(client, url=f"{JOIN}?station={station.code}", ip="10.5.0.1").status_code == 302
    assert [command for command in redis_commands if command != "SCRIPT LOAD"] == ["EVALSHA"]
    redis_commands.clear()
    assert submit(client, ip="10.5.0.1", resident_id="123").status_code == 400  # a mistake counts the address
    assert [command for command in redis_commands if command != "SCRIPT LOAD"] == ["EVALSHA"]
