"""A mini-program's whole journey through the API alone, against the real services: log in with a WeChat code
(a local code2session), bind the mobile number, find the nearest station, apply to join and follow the
application (decided by county staff through the API), file a request with a photo and follow it (handled
through the API), rate the handling and the station."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api.models import WorkerSession
from casework.models import WorkerRequest
from membership.models import MembershipApplication
from stations import geo
from tests.api.conftest import MOBILE, PNG, V1, login, problem, verify
from tests.factories import QINSHUI
from tests.membership.factories import resident_id

pytestmark = pytest.mark.django_db


def test_the_mini_program_journey(api, county, wechat, alice, token_for):
    station = county["station"]
    token = login(api)
    assert wechat.calls[-1]["js_code"] == "abc" and wechat.calls[-1]["appid"] == "wx-test"
    me = verify(api, token)
    assert me == {"mobile": "139****5678", "mobile_verified": True, "expires_at": me["expires_at"]}

    # The nearest station, asked in GCJ-02 (a WeChat map's coordinates) and answered in the same system.
    lat, lng = geo.wgs84_to_gcj02(35.7171, 112.4311)
    nearest = api.get(f"{V1}/worker/stations/nearest/", lat=lat, lng=lng, crs="gcj02", limit=5).json()
    assert [s["code"] for s in nearest["results"]] == [station.code, county["far"].code]
    first = nearest["results"][0]
    assert first["open_now"] is True and first["distance_m"] < 100 and nearest["crs"] == "gcj02"
    assert abs(first["lat"] - geo.wgs84_to_gcj02(35.717, 112.431)[0]) < 1e-5
    detail = api.get(f"{V1}/worker/stations/{station.code}/").json()
    assert detail["name"] == "嘉峰镇工会驿站" and len(detail["week"]) == 7 and detail["open_now"] is True

    # Apply from the station's QR code, then follow the application.
    body = {
        "name": "王师傅",
        "resident_id": resident_id(QINSHUI),
        "mobile": MOBILE,
        "employer": "满帮货运平台",
        "occupation": "truck_driver",
        "station": station.code,
        "consent": True,
    }
    response = api.post(f"{V1}/worker/applications/", body, token)
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    application = MembershipApplication.objects.get(reference=reference)
    assert application.source_station == station and application.consented_at is not None
    mine = api.get(f"{V1}/worker/applications/", token).json()
    assert [a["reference"] for a in mine] == [reference] and mine[0]["status"] == "pending"

    staff = token_for(alice)
    decided = api.post(f"{V1}/staff/membership/applications/{application.pk}/decision/", {"action": "approve"}, staff)
    assert decided.status_code == 200, decided.content
    followed = api.get(f"{V1}/worker/applications/{reference}/", token).json()
    assert followed["status"] == "approved" and followed["card_number"] == decided.json()["card_number"]

    # File a request with a photo, follow it while staff handle it, rate the handling.
    upload = SimpleUploadedFile("工资条.png", PNG, "image/png")
    filed = api.post_multipart(
        f"{V1}/worker/requests/",
        {
            "category": "wages",
            "employer_name": "不知名公司",
            "description": "老板拖欠三个月工资。",
            "wanted": "结清工资。",
            "mobile": MOBILE,
            "station": station.code,
            "consent": "true",
            "attachments": [upload],
        },
        token,
    )
    assert filed.status_code == 201, filed.content
    reference = filed.json()["reference"]
    assert filed.json()["attachments"] == 1
    worker_request = WorkerRequest.objects.get(reference=reference)
    assert [r["reference"] for r in api.get(f"{V1}/worker/requests/", token).json()] == [reference]
    for step in ({"action": "accept", "message": "已受理"}, {"action": "resolve", "message": "已协调企业结清工资。"}):
        answer = api.post(f"{V1}/staff/casework/requests/{worker_request.pk}/steps/", step, staff)
        assert answer.status_code == 200, answer.content
    followed = api.get(f"{V1}/worker/requests/{reference}/", token).json()
    assert followed["status"] == "resolved" and followed["can_rate"] is True
    assert [s["kind"] for s in followed["steps"]][:2] == ["filed", "routed"]
    rated = api.post(f"{V1}/worker/requests/{reference}/rating/", {"rating": 5, "good": [], "comment": "很快"}, token)
    assert rated.status_code == 200 and rated.json()["status"] == "closed"
    again = api.post(f"{V1}/worker/requests/{reference}/rating/", {"rating": 1}, token)
    assert again.status_code == 400 and problem(again)

    # Rate the station: once a month per mobile number.
    assert api.post(f"{V1}/worker/stations/{station.code}/rating/", {"score": 5}, token).status_code == 201
    twice = api.post(f"{V1}/worker/stations/{station.code}/rating/", {"score": 4}, token)
    assert twice.status_code == 400 and "本月" in problem(twice)["detail"]


def test_a_new_login_by_the_same_wechat_user_keeps_the_verified_mobile(api, county, wechat):
    verify(api, login(api, "first"))
    again = login(api, "first")
    assert api.get(f"{V1}/worker/me/", again).json()["mobile_verified"] is True
    assert WorkerSession.objects.count() == 2


def test_without_a_verified_mobile_the_worker_follows_by_reference_and_mobile_only(api, county, wechat):
    token = login(api)
    assert problem(api.get(f"{V1}/worker/applications/", token))["type"].endswith("no-mobile")
    body = {"name": "李师傅", "resident_id": resident_id(QINSHUI), "mobile": MOBILE, "occupation": "truck_driver",
            "station": county["station"].code, "consent": True}  # fmt: skip
    reference = api.post(f"{V1}/worker/applications/", body, token).json()["reference"]
    assert api.get(f"{V1}/worker/applications/{reference}/", token, mobile=MOBILE).status_code == 200
    assert api.get(f"{V1}/worker/applications/{reference}/", token, mobile="13800000000").status_code == 404


def test_the_journey_goes_on_to_an_event_and_a_job(api, county, wechat, alice, token_for):
    """The same mini-program: a coming event at the station, signing up with the verified mobile (the ticket the
    door scans), the current vacancies at the station and nearby, a job wish filed and renewed - then staff
    see the sign-up's event and the wish through their own lists, the wish's mobile masked."""
    from employment.models import JobWish
    from outreach.models import SignUp
    from outreach.services import checkin_scan
    from tests.employment.factories import published
    from tests.outreach.factories import event

    station = county["station"]
    film = event(station=station, capacity=2)
    vacancy = published(station)
    token = login(api)
    verify(api, token)

    coming = api.get(f"{V1}/worker/events/", station=station.code).json()
    assert [e["code"] for e in coming] == [film.code] and coming[0]["places_left"] == 2
    signed = api.post(f"{V1}/worker/events/{film.code}/signups/", {"name": "王师傅", "consent": True}, token)
    assert signed.status_code == 201, signed.content
    ticket = signed.json()
    assert ticket["event"]["places_left"] == 1 and ticket["ticket_page"].endswith(f"/{ticket['code']}/")
    assert SignUp.objects.get(code=ticket["code"]).mobile == MOBILE
    again = api.post(f"{V1}/worker/events/{film.code}/signups/", {"name": "王师傅", "consent": True}, token)
    assert again.status_code == 400 and "已" in problem(again)["errors"]["mobile"][0]
    checkin_scan(event=film, code=ticket["code"], scan_id="door-1")
    mine = api.get(f"{V1}/worker/signups/{ticket['code']}/", token).json()
    assert mine["checked_in"] is True and mine["name"] == "王师傅"
    refused = api.post(f"{V1}/worker/signups/{ticket['code']}/cancel/", {}, token)
    assert refused.status_code == 400 and problem(refused)

    jobs = api.get(f"{V1}/worker/stations/{station.code}/vacancies/").json()
    assert [j["id"] for j in jobs] == [vacancy.pk] and jobs[0]["open_posts"] == 5
    lat, lng = geo.wgs84_to_gcj02(35.7171, 112.4311)
    near = api.get(f"{V1}/worker/vacancies/nearest/", lat=lat, lng=lng, crs="gcj02").json()
    assert near["results"][0]["id"] == vacancy.pk and near["results"][0]["distance_m"] < 100

    wish = {"occupation": "delivery_rider", "pay_expected": "5000", "max_daily_hours": 10, "consent": True}
    filed = api.post(f"{V1}/worker/stations/{station.code}/wishes/", wish, token)
    assert filed.status_code == 201, filed.content
    row = JobWish.objects.get(pk=filed.json()["id"])
    assert row.mobile == MOBILE and row.source == "phone" and row.consent
    JobWish.objects.filter(pk=row.pk).update(valid_until=row.valid_until - dt.timedelta(days=80))
    renewed = api.post(f"{V1}/worker/wishes/{row.pk}/renew/", {}, token).json()
    assert renewed["valid_until"] == row.valid_until.isoformat()
    assert [w["id"] for w in api.get(f"{V1}/worker/wishes/", token).json()] == [row.pk]

    staff = token_for(alice)
    wishes = api.get(f"{V1}/staff/employment/wishes/", staff).json()["results"]
    assert [w["mobile"] for w in wishes if w["id"] == row.pk] == ["139****5678"]
    events = api.get(f"{V1}/staff/outreach/events/", staff, q="观影").json()["results"]
    assert [e["code"] for e in events] == [film.code]


def test_a_wish_or_a_sign_up_without_consent_or_a_verified_mobile_writes_nothing(api, county, wechat):
    from employment.models import JobWish
    from outreach.models import SignUp
    from tests.outreach.factories import event

    station = county["station"]
    film = event(station=station)
    token = login(api)
    wish = {"occupation": "delivery_rider", "pay_expected": "5000", "max_daily_hours": 10, "consent": True}
    assert problem(api.post(f"{V1}/worker/stations/{station.code}/wishes/", wish, token))["status"] == 403
    verify(api, token)
    refused = api.post(f"{V1}/worker/stations/{station.code}/wishes/", {**wish, "consent": False}, token)
    assert refused.status_code == 400 and problem(refused)["errors"]["consent"]
    odd = api.post(f"{V1}/worker/stations/{station.code}/wishes/", {**wish, "salary": 1}, token)
    assert problem(odd)["errors"]["salary"] == ["不认识这个字段。"]
    unsigned = api.post(f"{V1}/worker/events/{film.code}/signups/", {"name": "王师傅", "consent": False}, token)
    assert unsigned.status_code == 400 and problem(unsigned)["errors"]["consent"]
    assert problem(api.post(f"{V1}/worker/events/NOPE99/signups/", {"name": "王", "consent": True}, token))
    assert not JobWish.objects.exists() and not SignUp.objects.exists()
