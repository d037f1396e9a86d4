"""The database router without a replica (every run): it answers nothing, so Django routes as it always has;
which requests may read from a replica; each request's routing state is its own; the settings' guard. The
real replica's tests are tests/stack/test_replica.py."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from django.test import RequestFactory
from django.urls import resolve

from membership.models import Member
from tests.unionhub.test_settings import PRODUCTION, ROOT
from unionhub.db import middleware
from unionhub.db.router import STICKY_COOKIE, ReplicaRouter, current, read_alias, replica_reads


def test_without_a_replica_the_router_answers_nothing_and_reads_use_the_default_database(db, settings):
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Member) is None
        assert router.db_for_write(Member) is None
        assert router.allow_migrate("default", "membership") is None
        assert read_alias() == "default"
        assert Member.objects.all().db == "default"


def test_without_a_replica_a_writing_request_sets_no_cookie_and_healthz_says_not_used(admin_client):
    response = admin_client.post("/admin/logout/")
    assert STICKY_COOKIE not in response.cookies
    health = admin_client.get("/healthz").json()
    assert health["checks"]["replica"] == "not used" and health["replica_lag_seconds"] is None


def _request(method: str, path: str, **cookies):
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies)
    request.resolver_match = resolve(path)
    return request


def test_lists_reports_exports_and_api_gets_may_read_from_the_replica_nothing_else():
    replica = middleware.reads_from_replica
    assert replica(_request("get", "/admin/membership/member/"))
    assert replica(_request("head", "/admin/membership/member/"))
    assert replica(_request("get", "/admin/dashboard/"))
    assert replica(_request("get", "/admin/casework/mediationcase/figures/"))
    assert replica(_request("get", "/api/v1/"))
    assert not replica(_request("post", "/admin/membership/member/"))  # an action
    assert not replica(_request("get", "/admin/membership/member/add/"))
    assert not replica(_request("get", "/admin/membership/member/1/change/"))
    assert not replica(_request("get", "/admin/"))
    assert not replica(_request("get", "/join/"))
    assert not replica(_request("get", "/healthz"))


def test_a_browser_that_wrote_within_the_sticky_seconds_reads_from_the_primary():
    now = int(time.time())
    assert middleware.wrote_recently(_request("get", "/admin/", **{STICKY_COOKIE: str(now + 5)}))
    assert not middleware.wrote_recently(_request("get", "/admin/", **{STICKY_COOKIE: str(now - 1)}))
    assert not middleware.wrote_recently(_request("get", "/admin/", **{STICKY_COOKIE: "soon"}))
    assert not middleware.wrote_recently(_request("get", "/admin/"))


def test_each_request_has_its_own_routing_state_even_on_threads_of_one_process():
    router = ReplicaRouter()
    wrote, reader_saw = threading.Event(), {}

    def writer():
        with replica_reads():
            router.db_for_write(Member)
            wrote.set()

    def reader():
        with replica_reads() as state:
            wrote.wait(5)
            reader_saw["wrote"] = state.wrote
            reader_saw["current"] = current() is state

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert reader_saw == {"wrote": False, "current": True}
    assert current() is None  # nothing left behind in this context


def test_a_sticky_time_shorter_than_the_lag_allowed_stops_start_up():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **PRODUCTION,
            "PATH": "/usr/bin:/bin",
            "UNIONHUB_ENV_FILE": "none",
            "DATABASE_REPLICA_URL": "postgres://unionhub@127.0.0.1:5433/unionhub",
            "DATABASE_REPLICA_MAX_LAG_SECONDS": "30",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_STICKY_SECONDS: must be at least" in result.stderr


def test_a_replica_beside_an_sqlite_database_is_not_used():
    """``make run`` or a command with an SQLite file, in a shell where DATABASE_REPLICA_URL is set."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.DATABASES.keys(), s.DATABASE_REPLICA_ALIAS)",
        ],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "true",
            "UNIONHUB_ENV_FILE": "none",
            "DATABASE_REPLICA_URL": "postgres://unionhub@127.0.0.1:5433/unionhub",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "dict_keys(['default']) None"
