"""Settings: production values pass `check --deploy`; a malformed value stops start-up with one line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "k3Yq8vT2pL9wX4rN7mB1cZ6dF0gH5jS8aE2uI9oP4yR7tW3qV6nM1bC5xZ0lK8jh",
    "ALLOWED_HOSTS": "union.example.cn",
    "DATABASE_URL": "postgres://unionhub:secret@127.0.0.1:5432/unionhub",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
}


def manage(*args, **env):
    ours = {"DEBUG", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "name,value",
    [
        ("DATABASE_URL", "mysql://u:p@host/db"),
        ("DATABASE_URL", "postgres://u:p@host:port/db"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("DEBUG", "maybe"),
        ("SECRET_KEY", "short"),
        ("AXES_FAILURE_LIMIT", "five"),
        ("MESSAGE_BACKENDS", "console,fax"),
        ("MESSAGE_SMS_TEMPLATE_CODES", "membership.application_approved"),
        ("CASEWORK_ESCALATION_DAYS", "3,three"),
        ("CASEWORK_FILE_RATE_PER_IP", "ten an hour"),
        ("MEMBERSHIP_NOTIFICATION_EMAIL_TO", "{mobile}@sms.example.cn"),  # renamed: MESSAGE_EMAIL_TO
    ],
)
def test_a_malformed_value_stops_start_up_with_one_line_naming_it(name, value):
    result = manage("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0]


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_defaults_to_chinese_and_shanghai_time(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ


def test_celery_is_configured_for_reliable_json_delivery():
    from unionhub.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is False
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] >= 6 * 60 * 60


def test_the_production_static_file_manifest_can_be_built(settings, tmp_path):
    """The manifest storage rewrites every reference a CSS or JS file makes (url(), sourceMappingURL) and
    refuses one to a missing file; production uses it (with compression on top)."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/leaflet-1.9.4/leaflet.*.js"))


def test_the_sms_channel_needs_its_gateway():
    result = manage("check", **PRODUCTION, MESSAGE_BACKENDS="console,sms")
    assert result.returncode != 0 and "MESSAGE_SMS_URL" in result.stderr
    gateway = {
        "MESSAGE_SMS_URL": "https://sms.example.cn/send",
        "MESSAGE_SMS_SIGN_NAME": "沁水县总工会",
        "MESSAGE_SMS_APP_KEY": "key",
        "MESSAGE_SMS_APP_SECRET": "secret",
        "MESSAGE_SMS_TEMPLATE_CODES": "membership.application_approved=SMS_1, membership.application_rejected=SMS_2",
    }
    assert manage("check", **PRODUCTION, MESSAGE_BACKENDS="console,sms", **gateway).returncode == 0


def test_a_postgresql_url_turns_jit_compilation_off_and_keeps_its_own_options(monkeypatch):
    from unionhub.env import database_config

    monkeypatch.setenv("UH_TEST_DB", "postgres://u:p@127.0.0.1:5432/unionhub")
    assert database_config("UH_TEST_DB", "unused")["OPTIONS"]["options"] == "-c jit=off"
    monkeypatch.setenv("UH_TEST_DB", "postgres://u:p@127.0.0.1:5432/unionhub?options=-c%20work_mem%3D32MB")
    assert database_config("UH_TEST_DB", "unused")["OPTIONS"]["options"] == "-c work_mem=32MB -c jit=off"
    monkeypatch.setenv("UH_TEST_DB", "sqlite:////tmp/x.sqlite3")
    assert "options" not in database_config("UH_TEST_DB", "unused")["OPTIONS"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_application_s_postgresql_sessions_run_without_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
