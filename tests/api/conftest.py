"""The API's fixtures: a local stand-in for WeChat's code2session, staff tokens, JSON calls."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.test import Client

from api.services.tokens import token_create
from tests.casework.factories import hierarchy
from tests.factories import JIAFENG, QINSHUI
from tests.membership.factories import holding_pool
from tests.stations.factories import StationFactory, open_every_day
from unionhub.models import Message


class FakeWeChat(BaseHTTPRequestHandler):
    """``/sns/jscode2session``: a code ``bad…`` is refused as WeChat refuses it (errcode 40029); any other gives
    the openid ``o-<code>``, for the app id and secret the test configured only."""

    calls: list = []

    def do_GET(self):
        url = urlparse(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        FakeWeChat.calls.append(query)
        if url.path != "/sns/jscode2session" or query.get("secret") != "test-secret":
            body = {"errcode": 40125, "errmsg": "invalid appsecret"}
        elif query.get("js_code", "").startswith("bad"):
            body = {"errcode": 40029, "errmsg": "invalid code"}
        else:
            body = {"openid": "o-" + query["js_code"], "session_key": "k"}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def wechat(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WECHAT_API_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.WECHAT_APP_ID = "wx-test"
    settings.WECHAT_APP_SECRET = "test-secret"
    FakeWeChat.calls = []
    yield FakeWeChat
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


class Api:
    """JSON calls with a bearer token: ``api.get(url, token)``, ``api.post(url, body, token)``."""

    def __init__(self):
        self.client = Client()

    @staticmethod
    def _headers(token):
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, url, token=None, **params):
        return self.client.get(url, params or None, **self._headers(token))

    def post(self, url, body=None, token=None, **extra):
        return self.client.post(
            url, json.dumps(body or {}), content_type="application/json", **self._headers(token), **extra
        )

    def post_multipart(self, url, data, token=None):
        return self.client.post(url, data, **self._headers(token))


@pytest.fixture
def api():
    return Api()


@pytest.fixture
def token_for():
    def make(user, **kwargs):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        return token_create(user=user, name="平台", **kwargs)[1]

    return make


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response.content[:300]
    body = response.json()
    assert body["status"] == response.status_code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body
    return body


V1 = "/api/v1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MOBILE = "13912345678"


@pytest.fixture
def county(regions):
    holding_pool(QINSHUI)
    unions = hierarchy(QINSHUI)
    # Open all day, every day (00:00 to midnight): "open now" whatever the hour the suite runs at.
    station = StationFactory(region_id=JIAFENG, name="嘉峰镇工会驿站", code="140521104-R-001")
    open_every_day(station, opens=dt.time(0, 0), closes=dt.time(0, 0))
    far = StationFactory(region_id=JIAFENG, code="140521104-R-002", latitude="35.900000", longitude="112.600000")
    return {"station": station, "far": far, "unions": unions}


def login(api, code="abc") -> str:
    response = api.post(f"{V1}/worker/login/", {"code": code})
    assert response.status_code == 201, response.content
    return response.json()["token"]


def verify(api, token, mobile=MOBILE):
    assert api.post(f"{V1}/worker/mobile/code/", {"mobile": mobile}, token).status_code == 202
    code = Message.objects.filter(template="api.mobile_code").latest("pk").params["code"]
    response = api.post(f"{V1}/worker/mobile/verify/", {"mobile": mobile, "code": code}, token)
    assert response.status_code == 200, response.content
    return response.json()
