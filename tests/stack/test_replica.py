"""Reads on a real streaming replica (``.ci/with-services --replica``, which ``.ci/run`` asks for): a browser
that wrote reads its write back from the primary while another browser's list comes from the replica (its
rows carry the replica's alias, and the server says it is in recovery); a replica further behind than the
threshold gives its reads back to the primary; ``/healthz`` reports the lag.

Replay on the replica is paused (``pg_wal_replay_pause``) to hold it behind the primary for as long as a test
needs: the rows a test writes are then on the primary only, so where a page read from shows in what it lists."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from membership.models import Member
from tests.factories import QINSHUI
from tests.membership.factories import MemberFactory, resident_id, union_in
from unionhub.db.router import STICKY_COOKIE, ReplicaRouter, forget_lag, replica_lag, replica_reads

pytestmark = [
    pytest.mark.replica,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

MEMBERS = reverse("admin:membership_member_changelist")


@pytest.fixture
def replica(settings):
    """The ``replica`` alias on the real replica's copy of the test database (the test run points it at the
    primary's, as a mirror, for every other test)."""
    connection = connections["replica"]
    mirrored = connection.settings_dict
    real = django_settings.DATABASES["replica"]
    connection.close()
    connection.settings_dict = {**mirrored, "HOST": real["HOST"], "PORT": real["PORT"]}
    settings.DATABASE_REPLICA_ALIAS = "replica"
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 3600  # a paused replica still serves reads unless a test says
    forget_lag()
    try:
        yield connection
    finally:
        _resume(connection)
        connection.close()
        connection.settings_dict = mirrored
        forget_lag()


def _one(alias: str, sql: str, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _resume(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")


def caught_up(timeout: float = 15) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    # The insert position, not the write position: the test cluster runs with synchronous_commit off, so a
    # committed transaction's record can still be in the WAL buffers when the write position is read.
    lsn = _one("default", "SELECT pg_current_wal_insert_lsn()::text")
    deadline = time.monotonic() + timeout
    while not _one("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.02)
    forget_lag()


@contextmanager
def paused(connection):
    caught_up()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        _resume(connection)


def browser(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def listed(response) -> dict[str, str]:
    """The changelist's members by name, each with the database alias it was read from."""
    assert response.status_code == 200
    return {member.name: member._state.db for member in response.context["cl"].result_list}


def member_queries(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if "membership_member" in query["sql"]]


def test_the_writer_reads_its_write_from_the_primary_while_another_session_lists_from_the_replica(replica, alice):
    union = union_in(QINSHUI)
    MemberFactory(union=union, name="孙师傅")
    writer, reader = browser(alice), browser(alice)
    with paused(replica):
        saved = writer.post(
            reverse("admin:membership_member_add"),
            {
                "name": "赵师傅",
                "resident_id": resident_id(QINSHUI),
                "mobile": "13800001111",
                "union": union.pk,
                "employer": "顺达货运",
                "occupation": "truck_driver",
                "join_date": "2026-01-05",
                "status": "active",
            },
        )
        assert saved.status_code == 302
        assert int(saved.cookies[STICKY_COOKIE].value) > time.time()  # read-your-writes for this browser

        with CaptureQueriesContext(connections["replica"]) as on_replica:
            mine = listed(writer.get(MEMBERS))
        assert mine == {"赵师傅": "default", "孙师傅": "default"}
        assert member_queries(on_replica) == []

        with CaptureQueriesContext(connections["replica"]) as on_replica:
            theirs = listed(reader.get(MEMBERS))
        # The replica has not replayed the new member: the other session's list is the replica's.
        assert theirs == {"孙师傅": "replica"}
        assert member_queries(on_replica)
        assert _one("replica", "SELECT pg_is_in_recovery()") is True
        assert _one("default", "SELECT pg_is_in_recovery()") is False
    caught_up()
    assert listed(reader.get(MEMBERS)) == {"赵师傅": "replica", "孙师傅": "replica"}


def test_a_replica_further_behind_than_the_threshold_gives_its_reads_to_the_primary_and_healthz_says_so(
    replica, alice, settings
):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 1
    settings.DATABASE_REPLICA_LAG_CHECK_SECONDS = 1
    union = union_in(QINSHUI)
    reader = browser(alice)
    caught_up()
    health = reader.get("/healthz").json()
    assert health["checks"]["replica"] == "ok (lag 0.0 s)" and health["replica_lag_seconds"] == 0
    assert listed(reader.get(MEMBERS)) == {}

    with paused(replica):
        MemberFactory(union=union, name="钱师傅")  # on the primary only
        deadline = time.monotonic() + 10
        while (replica_lag(fresh=True).seconds or 0) <= 1.2:
            assert time.monotonic() < deadline, "the paused replica never fell behind"
            time.sleep(0.1)
        assert listed(reader.get(MEMBERS)) == {"钱师傅": "default"}
        health = reader.get("/healthz").json()
        assert health["replica_lag_seconds"] > 1
        assert health["checks"]["replica"].startswith("behind: lag ")
        assert health["checks"]["replica"].endswith("> 1 s; reads on the primary")

    caught_up()
    assert listed(reader.get(MEMBERS)) == {"钱师傅": "replica"}
    caught_up()  # whatever was written meanwhile replayed too, as before the first reading above
    assert reader.get("/healthz").json()["replica_lag_seconds"] == 0


def test_transactions_writes_tasks_and_migrations_use_the_primary(replica):
    router = ReplicaRouter()
    caught_up()
    assert Member.objects.all().db == "default"  # outside a request (a Celery task, a command)
    with replica_reads():
        assert Member.objects.all().db == "replica"
        with transaction.atomic():
            assert Member.objects.all().db == "default"
        assert Member.objects.select_for_update().db == "default"
        assert Member.objects.all().db == "default"  # it asked to write: read-your-writes from here on
    assert router.allow_migrate("replica", "membership") is False
    assert router.allow_migrate("default", "membership") is None


def test_a_replica_that_does_not_answer_gives_its_reads_to_the_primary(replica, settings):
    connection = connections["replica"]
    connection.close()
    real = connection.settings_dict
    connection.settings_dict = {**real, "PORT": "1"}  # nothing listens there
    try:
        forget_lag()
        with replica_reads():
            assert Member.objects.all().db == "default"
        lag = replica_lag()
        assert lag.seconds is None and lag.describe().startswith("down: OperationalError")
    finally:
        connection.close()
        connection.settings_dict = real
