"""Roster work on the production shape under concurrency: real ``celery -A unionhub worker`` processes on
PostgreSQL, as the README starts them.

* Two rosters that share people, confirmed at the same moment and written by two workers at once: both
  end done (or one fails cleanly, in Chinese, and is confirmed again), nobody is registered twice, no
  IntegrityError, and the county's card numbers have no gap.
* A check delivered twice (the same job sent twice, as a broker redelivery would), and two checks of the
  same upload at once (a double click): the rows are staged once.

"At the same moment" is made certain rather than hoped for: the test holds the county's advisory lock (the
one every import into the county takes) until both workers are waiting for it, then lets them go."""

from __future__ import annotations

import re

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from membership.models import ImportStatus, Member, RosterImport, RosterRow
from membership.services import roster as roster_services
from membership.services.roster_apply import ADVISORY_LOCK_CLASS
from tests.factories import QINSHUI
from tests.membership.factories import resident_id, union_in
from tests.stack import processes
from unionhub.models import Job, JobStatus
from unionhub.services import jobs

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

UNION = "嘉峰煤矿工会"


@pytest.fixture
def two_workers(stack_logs, stack_env, started):
    processes.purge_broker()
    for name in ("worker-a", "worker-b"):
        started.append(processes.start_worker(stack_logs, name=name, env=stack_env))
    return started[-2:]


def uploaded(user, ids: list[str], name: str) -> RosterImport:
    content = "姓名,身份证号,所属工会\n" + "".join(f"张伟,{rid},{UNION}\n" for rid in ids)
    return roster_services.roster_import_create(file=SimpleUploadedFile(name, content.encode()), by=user)


def settled(roster: RosterImport, timeout: float = 90) -> RosterImport:
    def ended():
        found = RosterImport.objects.select_related("job").get(pk=roster.pk)
        return found if found.job_id and not found.job.is_active else None

    return processes.wait_until(ended, timeout=timeout, what=f"the job of import #{roster.pk}")


def checked_by_the_worker(roster: RosterImport, user) -> RosterImport:
    roster_services.roster_check_start(roster=roster, user=user)
    roster = settled(roster)
    assert roster.status == ImportStatus.PREVIEWED, roster.error
    return roster


def advisory_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def test_two_rosters_sharing_people_confirmed_at_once_through_the_workers_register_each_person_once(two_workers, alice):
    union_in(QINSHUI, name=UNION)
    shared = [resident_id() for _ in range(60)]
    first = checked_by_the_worker(uploaded(alice, shared + [resident_id() for _ in range(40)], "a.csv"), alice)
    second = checked_by_the_worker(uploaded(alice, [resident_id() for _ in range(40)] + shared, "b.csv"), alice)
    assert first.created == second.created == 100

    gate = psycopg2.connect(processes.test_database_url())
    try:
        gate.cursor().execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_LOCK_CLASS, int(QINSHUI)])
        gate.commit()
        for roster in (first, second):
            roster_services.roster_import_start(roster=roster, by=alice, mode=roster.mode)
        processes.wait_until(lambda: advisory_waiters() >= 2, what="both workers to be writing", timeout=60)
        assert Job.objects.filter(kind=roster_services.IMPORT_JOB, status=JobStatus.RUNNING).count() == 2
    finally:
        gate.cursor().execute("SELECT pg_advisory_unlock_all()")
        gate.commit()
        gate.close()

    outcomes = [settled(first), settled(second)]
    for roster in outcomes:
        if roster.status == ImportStatus.FAILED:  # allowed, if it says why in Chinese and can be done again
            assert re.search(r"[\u4e00-\u9fff]", roster.error), roster.error
            checked_by_the_worker(roster, alice)
            roster_services.roster_import_start(roster=roster, by=alice, mode=roster.mode)
            roster = settled(roster)
        assert roster.status == ImportStatus.DONE, roster.error
    outcomes = [RosterImport.objects.get(pk=r.pk) for r in outcomes]
    assert Member.objects.count() == 140
    assert sum(r.created for r in outcomes) == 140 and sum(r.unchanged for r in outcomes) == 60
    numbers = sorted(int(n[-6:]) for n in Member.objects.values_list("card_number", flat=True))
    assert numbers == list(range(1, 141))  # gap-free, none twice
    logs = "".join(worker.output() for worker in two_workers)
    assert "IntegrityError" not in logs and "Traceback" not in logs
    assert "worker-a" in two_workers[0].name and all(
        "membership.roster_import[" in worker.output() for worker in two_workers
    ), "each worker wrote one of the two rosters"


def test_a_check_delivered_twice_and_two_checks_of_one_upload_at_once_stage_its_rows_once(two_workers, alice):
    union_in(QINSHUI, name=UNION)
    ids = [resident_id() for _ in range(400)]
    # The same job sent twice, as a redelivery would: claimed once, the second delivery does nothing.
    roster = uploaded(alice, ids, "twice.csv")
    job = jobs.job_create(kind=roster_services.CHECK_JOB, user=alice, target=roster)
    RosterImport.objects.filter(pk=roster.pk).update(job=job)
    task = jobs.job_kind(roster_services.CHECK_JOB).task
    task.delay(job.pk)
    task.delay(job.pk)
    roster = settled(roster)
    assert roster.status == ImportStatus.PREVIEWED and roster.errors == 0 and roster.created == 400
    assert RosterRow.objects.filter(roster=roster).count() == 400
    processes.wait_until(
        lambda: sum(w.output().count(f"'job': {job.pk},") for w in two_workers) >= 2, what="both deliveries"
    )
    assert Job.objects.filter(target_id=roster.pk, kind=roster_services.CHECK_JOB).count() == 1

    # A double click on "check": the second start is refused while the first is queued or running (it may
    # only start if the first has already finished); the rows are staged once either way.
    again = uploaded(alice, ids, "double-click.csv")
    started = 0
    for _click in range(2):
        try:
            roster_services.roster_check_start(roster=again, user=alice)
            started += 1
        except jobs.JobAlreadyActive:
            pass
    assert started in (1, 2)
    processes.wait_until(
        lambda: (
            Job.objects.filter(target_id=again.pk, kind=roster_services.CHECK_JOB, status=JobStatus.DONE).count()
            == started
        ),
        what="the checks",
    )
    again.refresh_from_db()
    assert again.status == ImportStatus.PREVIEWED and again.errors == 0 and again.created == 400
    assert RosterRow.objects.filter(roster=again).count() == 400
