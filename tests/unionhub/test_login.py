"""Login throttling: a username is locked from one address after repeated failures, with a Chinese page."""

from django.urls import reverse

from tests.factories import UserFactory


def test_a_locked_out_login_gets_a_clear_chinese_message(regions, client, settings):
    UserFactory(username="wangli")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "wangli", "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": "wangli", "password": "pw"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录失败次数过多" in text
    assert "30" in text


def test_a_lock_out_is_per_username_and_address(regions, client, settings):
    UserFactory(username="wangli")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "wangli", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    # The same person from their own office still gets in.
    response = client.post(reverse("admin:login"), {"username": "wangli", "password": "pw"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


def test_a_forwarded_for_header_is_ignored_unless_configured(regions, client, settings):
    UserFactory(username="wangli")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "wangli", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = client.post(reverse("admin:login"), {"username": "wangli", "password": "pw"})
    assert response.status_code == 429
