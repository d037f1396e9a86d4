"""WeChat's ``code2session`` behind a small interface: a mini-program's ``wx.login()`` code in, the user's
openid out. The base URL, app id and secret are settings (``WECHAT_*``); tests point the URL at a local server."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _


class WeChatError(Exception):
    """WeChat refused the code or could not be reached; ``str()`` says so in Chinese."""


class WeChatClient:
    """The interface the login service uses; replace it (``set_client``) for another identity provider."""

    def code2session(self, code: str) -> str:
        """The openid the code belongs to, or ``WeChatError``."""
        if not settings.WECHAT_APP_ID or not settings.WECHAT_APP_SECRET:
            raise WeChatError(_("WeChat login is not configured on this server."))
        query = urllib.parse.urlencode(
            {
                "appid": settings.WECHAT_APP_ID,
                "secret": settings.WECHAT_APP_SECRET,
                "js_code": code,
                "grant_type": "authorization_code",
            }
        )
        url = f"{settings.WECHAT_API_BASE_URL.rstrip('/')}/sns/jscode2session?{query}"
        try:
            with urllib.request.urlopen(url, timeout=settings.WECHAT_TIMEOUT_SECONDS) as response:
                body = json.loads(response.read().decode() or "{}")
        except (urllib.error.URLError, TimeoutError, ValueError, OSError):
            raise WeChatError(_("WeChat could not be reached. Please try again in a moment.")) from None
        openid = body.get("openid") if isinstance(body, dict) else None
        if body.get("errcode") or not openid:
            raise WeChatError(_("WeChat did not accept this login code. Please log in again."))
        return str(openid)[:64]


_client: WeChatClient = WeChatClient()


def client() -> WeChatClient:
    return _client


def set_client(new: WeChatClient) -> None:
    global _client
    _client = new
