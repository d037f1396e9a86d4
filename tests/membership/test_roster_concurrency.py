"""Rosters under real concurrency on PostgreSQL (threads, each with its own connection): two imports sharing
people confirmed at once, a roster confirmed while someone registers one of its people, two checks of one
upload at once, a confirm delivered twice. Each case ends cleanly: no raw IntegrityError, nothing doubled."""

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from membership.models import ImportStatus, Member, RosterImport, RosterRow
from membership.services import roster as services
from tests.factories import QINSHUI
from tests.membership.factories import MemberFactory, resident_id, union_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
UNION = "嘉峰煤矿工会"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _checked(user, ids, name="r.csv"):
    content = "姓名,身份证号,所属工会\n" + "".join(f"张伟,{rid},{UNION}\n" for rid in ids)
    roster = services.roster_import_create(file=SimpleUploadedFile(name, content.encode()), by=user)
    return services.roster_preview(roster=roster)


def _together(*calls):
    """Run the calls in threads released at the same moment; return their results or exceptions."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # reported to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_rosters_sharing_people_confirmed_at_once_both_finish_and_each_person_is_registered_once(alice):
    union_in(QINSHUI, name=UNION)
    shared = [resident_id() for _ in range(50)]
    first = _checked(alice, shared + [resident_id() for _ in range(50)])
    second = _checked(alice, [resident_id() for _ in range(50)] + shared)
    results = _together(
        lambda: services.roster_apply(roster=first, by=alice), lambda: services.roster_apply(roster=second, by=alice)
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r.status for r in results} == {ImportStatus.DONE}
    assert Member.objects.count() == 150
    assert sum(r.created for r in results) == 150 and sum(r.unchanged for r in results) == 50
    numbers = sorted(int(n[-6:]) for n in Member.objects.values_list("card_number", flat=True))
    assert numbers == list(range(1, 151))  # gap-free


def test_a_person_registered_while_the_roster_is_written_is_reclassified_not_a_500(alice):
    union = union_in(QINSHUI, name=UNION)
    ids = [resident_id() for _ in range(20)]
    roster = _checked(alice, ids)
    assert roster.created == 20
    MemberFactory(union=union, resident_id=ids[7], name="张伟")  # approved online after the check
    roster = services.roster_apply(roster=roster, by=alice)
    assert roster.status == ImportStatus.DONE and roster.created == 19 and Member.objects.count() == 20


def test_two_checks_of_one_upload_at_once_stage_its_rows_once(alice):
    union_in(QINSHUI, name=UNION)
    ids = [resident_id() for _ in range(300)]
    content = "姓名,身份证号,所属工会\n" + "".join(f"张伟,{rid},{UNION}\n" for rid in ids)
    roster = services.roster_import_create(file=SimpleUploadedFile("r.csv", content.encode()), by=alice)
    results = _together(*[lambda: services.roster_check_run(roster_id=roster.pk) for _ in range(3)])
    assert not [r for r in results if isinstance(r, Exception)], results
    roster.refresh_from_db()
    assert roster.status == ImportStatus.PREVIEWED and roster.errors == 0
    assert RosterRow.objects.filter(roster=roster).count() == 300


def test_a_confirm_delivered_twice_writes_once(alice):
    union_in(QINSHUI, name=UNION)
    roster = _checked(alice, [resident_id() for _ in range(30)])
    RosterImport.objects.filter(pk=roster.pk).update(status=ImportStatus.IMPORTING)
    results = _together(
        lambda: services.roster_apply(roster=roster, by=alice), lambda: services.roster_apply(roster=roster, by=alice)
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Member.objects.count() == 30


def test_a_failed_import_ends_failed_in_chinese_and_can_be_checked_and_confirmed_again(alice, monkeypatch):
    union_in(QINSHUI, name=UNION)
    roster = services.roster_check_start(roster=_checked(alice, [resident_id() for _ in range(5)]), user=alice)
    import importlib

    roster_apply = importlib.import_module("membership.services.roster_apply")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster_apply, "_history_insert", broken)
    roster = services.roster_import_start(roster=roster, by=alice, mode=roster.mode)
    assert roster.status == ImportStatus.FAILED and "重新" in roster.error and not Member.objects.exists()
    monkeypatch.undo()
    roster = services.roster_check_start(roster=roster, user=alice)
    roster = services.roster_import_start(roster=roster, by=alice, mode=roster.mode)
    assert roster.status == ImportStatus.DONE and Member.objects.count() == 5


def test_a_first_roster_into_an_empty_register_leaves_statistics_for_the_next(alice):
    """Right after a county's first import the planner must not still think the register is empty (it would
    scan the member table once per row of the next import); the import analyses the table itself."""
    from django.db import connection

    union_in(QINSHUI, name=UNION)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE membership_member")  # empty: the statistics say so
    people = [resident_id(birth=dt.date(1970, 1, 1) + dt.timedelta(days=n), serial=7) for n in range(1200)]
    roster = services.roster_apply(roster=_checked(alice, people), by=alice)
    assert roster.status == ImportStatus.DONE and roster.created == 1200
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'membership_member'::regclass")
        assert cursor.fetchone()[0] == 1200
