"""Bad input through the API: a clear Chinese problem detail, a 4xx, nothing written - a malformed, unknown,
expired or revoked token, a body of the wrong type, an oversized attachment, an unknown field, a cursor from
another list; rate limits answer 429 with Retry-After; an unexpected error is a problem, never a trace."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from api.models import ApiToken, WorkerSession
from api.services.tokens import token_revoke
from casework.models import WorkerRequest
from membership.models import MembershipApplication
from tests.api.conftest import MOBILE, PNG, V1, login, problem
from tests.factories import QINSHUI
from tests.membership.factories import ApplicationFactory, MemberFactory, resident_id

pytestmark = pytest.mark.django_db

MEMBERS = f"{V1}/staff/membership/members/"


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer uh_short", "Bearer uh_" + "x" * 40, "Bearer wk_" + "x" * 40, "Token abc", ""],
)
def test_a_malformed_or_unknown_staff_token_is_a_401_problem(api, alice, header):
    response = api.client.get(MEMBERS, HTTP_AUTHORIZATION=header) if header else api.client.get(MEMBERS)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    problem(response)


def test_an_expired_or_revoked_token_is_refused_with_the_reason(api, alice, token_for):
    secret = token_for(alice)
    assert api.get(MEMBERS, secret).status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert "过期" in problem(api.get(MEMBERS, secret))["detail"]
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    token_revoke(token=token)
    assert "撤销" in problem(api.get(MEMBERS, secret))["detail"]


def test_a_worker_token_is_not_a_staff_token_and_back(api, alice, token_for, county, wechat):
    worker = login(api)
    assert api.get(MEMBERS, worker).status_code == 401
    assert api.get(f"{V1}/worker/me/", token_for(alice)).status_code == 401
    WorkerSession.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert "过期" in problem(api.get(f"{V1}/worker/me/", worker))["detail"]


def test_a_body_of_the_wrong_type_writes_nothing(api, alice, token_for):
    application = ApplicationFactory(union__region_id="140521104")
    url = f"{V1}/staff/membership/applications/{application.pk}/decision/"
    secret = token_for(alice)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    as_form = api.client.post(url, {"action": "approve"}, **headers)
    assert as_form.status_code == 415 and "JSON" in problem(as_form)["detail"]
    not_json = api.client.post(url, "action=approve", content_type="application/json", **headers)
    assert not_json.status_code == 400 and problem(not_json)
    a_list = api.client.post(url, '["approve"]', content_type="application/json", **headers)
    assert a_list.status_code == 400 and problem(a_list)
    wrong_type = api.post(url, {"action": 5}, secret)
    assert wrong_type.status_code == 400 and "action" in problem(wrong_type)["errors"]
    application.refresh_from_db()
    assert application.status == "pending" and application.decided_at is None


def test_an_unknown_field_is_named_and_nothing_is_written(api, county, wechat):
    token = login(api)
    body = {"name": "王师傅", "resident_id": resident_id(QINSHUI), "mobile": MOBILE, "occupation": "truck_driver",
            "station": county["station"].code, "consent": True, "salary": 5000}  # fmt: skip
    response = api.post(f"{V1}/worker/applications/", body, token)
    assert response.status_code == 400
    assert problem(response)["errors"]["salary"] == ["不认识这个字段。"]
    assert not MembershipApplication.objects.exists()


def test_consent_is_required_and_field_errors_are_chinese(api, county, wechat):
    token = login(api)
    body = {"name": "王师傅", "resident_id": "123", "mobile": MOBILE, "occupation": "truck_driver",
            "station": county["station"].code, "consent": False}  # fmt: skip
    errors = problem(api.post(f"{V1}/worker/applications/", body, token))["errors"]
    assert set(errors) >= {"consent", "resident_id"}
    assert all(
        any("\u4e00" <= ch <= "\u9fff" for ch in message) for messages in errors.values() for message in messages
    )
    assert not MembershipApplication.objects.exists()


def test_an_oversized_attachment_is_refused_and_no_request_is_filed(api, county, wechat, settings):
    settings.CASEWORK_MAX_ATTACHMENT_BYTES = 1024
    token = login(api)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 2048, "image/png")
    data = {"category": "wages", "employer_name": "不知名公司", "description": "拖欠工资。", "wanted": "结清。",
            "mobile": MOBILE, "station": county["station"].code, "consent": "true", "attachments": [big]}  # fmt: skip
    response = api.post_multipart(f"{V1}/worker/requests/", data, token)
    assert response.status_code == 400 and "attachments" in problem(response)["errors"]
    assert not WorkerRequest.objects.exists()


def test_a_cursor_from_another_list_or_other_filters_is_refused(api, alice, token_for):
    secret = token_for(alice)
    for n in range(3):
        MemberFactory(union__region_id="140521104", name=f"会员{n}")
    first = api.get(MEMBERS, secret, limit=2).json()
    cursor = first["next_cursor"]
    assert cursor and len(first["results"]) == 2
    rest = api.get(MEMBERS, secret, limit=2, cursor=cursor).json()
    assert len(rest["results"]) == 1 and rest["next_cursor"] is None
    assert not {r["id"] for r in rest["results"]} & {r["id"] for r in first["results"]}
    foreign = api.get(f"{V1}/staff/membership/applications/", secret, cursor=cursor)
    assert foreign.status_code == 400 and problem(foreign)["type"].endswith("bad-cursor")
    refiltered = api.get(MEMBERS, secret, cursor=cursor, status__exact="active")
    assert refiltered.status_code == 400 and "cursor" in problem(refiltered)["errors"]
    forged = api.get(MEMBERS, secret, cursor="eyJrIjoxfQ:forged")
    assert forged.status_code == 400


def test_an_unknown_or_malformed_filter_is_refused_not_ignored(api, alice, token_for):
    secret = token_for(alice)
    assert api.get(MEMBERS, secret, colour="red").status_code == 400
    assert problem(api.get(MEMBERS, secret, status__exact="nonsense"))["status"] == 400
    assert problem(api.get(MEMBERS, secret, limit="9999"))["errors"]["limit"]
    assert problem(api.get(f"{MEMBERS}changes/", secret, since="yesterday"))["errors"]["since"]
    assert "请选择省、市或县" in problem(api.get(MEMBERS, secret, area="沁水"))["detail"]


def test_the_area_narrows_a_list_and_never_widens_it(api, carol, token_for):
    from tests.factories import YANGCHENG
    from tests.membership.factories import union_in

    MemberFactory(union=union_in(QINSHUI), name="沁水会员")
    MemberFactory(union=union_in(YANGCHENG), name="阳城会员")
    secret = token_for(carol)

    def names(**params):
        response = api.get(MEMBERS, secret, **params)
        assert response.status_code == 200, response.content
        return sorted(row["name"] for row in response.json()["results"])

    assert names() == ["沁水会员", "阳城会员"]
    assert names(area=YANGCHENG) == ["阳城会员"]
    assert names(area="1404") == []  # another city: nothing of it, not an error that tells whether it exists


def test_rate_limits_answer_429_with_retry_after(api, county, wechat, settings):
    settings.MEMBERSHIP_JOIN_RATE_PER_IP = "1/h"
    token = login(api)
    body = {"name": "王师傅", "resident_id": resident_id(QINSHUI), "mobile": MOBILE, "occupation": "truck_driver",
            "station": county["station"].code, "consent": True}  # fmt: skip
    assert api.post(f"{V1}/worker/applications/", body, token).status_code == 201
    limited = api.post(f"{V1}/worker/applications/", body | {"resident_id": resident_id(QINSHUI, serial=7)}, token)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    problem(limited)
    assert MembershipApplication.objects.count() == 1


def test_a_wrong_verification_code_binds_nothing_and_counts(api, county, wechat):
    token = login(api)
    api.post(f"{V1}/worker/mobile/code/", {"mobile": MOBILE}, token)
    for _ in range(5):
        assert api.post(f"{V1}/worker/mobile/verify/", {"mobile": MOBILE, "code": "000000x"}, token).status_code == 400
    from unionhub.models import Message

    code = Message.objects.filter(template="api.mobile_code").latest("pk").params["code"]
    refused = api.post(f"{V1}/worker/mobile/verify/", {"mobile": MOBILE, "code": code}, token)
    assert refused.status_code == 400 and problem(refused)["errors"]["code"]
    assert WorkerSession.objects.get().mobile_verified_at is None


def test_a_refused_wechat_code_is_a_401_problem(api, wechat):
    response = api.post(f"{V1}/worker/login/", {"code": "bad-code"})
    assert response.status_code == 401 and problem(response)
    assert not WorkerSession.objects.exists()


def test_an_unexpected_error_is_a_problem_without_a_trace(api, alice, token_for, monkeypatch):
    monkeypatch.setattr("api.routers.lists.paginate", lambda *a, **k: 1 / 0)
    response = api.get(MEMBERS, token_for(alice))
    assert response.status_code == 500
    body = problem(response)
    assert "ZeroDivision" not in response.content.decode() and "Traceback" not in body["detail"]


def test_an_unknown_api_address_is_a_problem(api):
    response = api.get("/api/v2/nothing/")
    assert response.status_code == 404 and problem(response)
