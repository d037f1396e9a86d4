"""Card numbers under concurrent approvals, on PostgreSQL: real threads, one connection each, real locks."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from membership import services
from membership.models import CardCounter, Member, MembershipApplication
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import ApplicationFactory, mobile, resident_id, union_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def run_together(functions):
    """Start every function in its own thread at the same moment; return the exceptions they raised."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as exc:  # reported to the test
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    return errors


def approve_all(ids):
    def work():
        for pk in ids:
            services.application_approve(application=MembershipApplication.objects.get(pk=pk))

    return work


def sequences(county: str) -> list[int]:
    year = timezone.localdate().year
    cards = Member.objects.filter(card_number__startswith=f"{county}{year}").values_list("card_number", flat=True)
    return sorted(int(card[-6:]) for card in cards)


def test_concurrent_approvals_give_unique_gap_free_numbers(regions):
    assert connection.vendor == "postgresql"
    union = union_in(QINSHUI)
    ids = [ApplicationFactory(union=union).pk for _ in range(48)]
    assert not CardCounter.objects.exists()  # the first approvals also race to create the counter row
    errors = run_together([approve_all(ids[n::THREADS]) for n in range(THREADS)])
    assert errors == []
    assert sequences(QINSHUI) == list(range(1, 49))
    assert CardCounter.objects.get(county_id=QINSHUI).last == 48


def test_rolled_back_approvals_leave_no_gaps(regions):
    union = union_in(QINSHUI)
    ids = [ApplicationFactory(union=union).pk for _ in range(24)]

    def draw_then_fail():
        for _ in range(6):
            try:
                with transaction.atomic():
                    services.card_number_next(county_code=QINSHUI, year=timezone.localdate().year)
                    raise RuntimeError("the approval fails after its number was drawn")
            except RuntimeError:
                pass

    errors = run_together([approve_all(ids[n::4]) for n in range(4)] + [draw_then_fail, draw_then_fail])
    assert errors == []
    assert sequences(QINSHUI) == list(range(1, 25))


def test_two_reviewers_approving_the_same_person_at_once_make_one_member(regions):
    union = union_in(QINSHUI)
    rid, phone = resident_id(QINSHUI), mobile(7)
    twins = [ApplicationFactory(union=union, resident_id=rid, mobile=phone).pk for _ in range(THREADS)]
    errors = run_together([approve_all([pk]) for pk in twins])
    assert errors == []
    assert Member.objects.filter(resident_id=rid).count() == 1
    member = Member.objects.get()
    assert set(MembershipApplication.objects.values_list("member", flat=True)) == {member.pk}
    assert sequences(QINSHUI) == [1] and CardCounter.objects.get().last == 1


def test_twins_with_different_mobiles_make_one_member_and_the_rest_are_refused_whoever_is_first(regions):
    # Whether an approval sees the member before inserting or only learns of it from the unique index, it is
    # checked against the registered mobile the same way: never linked to a number it did not prove.
    union = union_in(QINSHUI)
    rid = resident_id(QINSHUI)
    twins = [ApplicationFactory(union=union, resident_id=rid).pk for _ in range(THREADS)]
    errors = run_together([approve_all([pk]) for pk in twins])
    assert len(errors) == THREADS - 1
    assert all("手机号与会员登记的手机号不一致" in " ".join(e.messages) for e in errors)
    member = Member.objects.get()
    linked = MembershipApplication.objects.filter(member=member)
    assert linked.count() == 1 and linked.get().mobile == member.mobile
    assert sequences(QINSHUI) == [1] and CardCounter.objects.get().last == 1


def test_concurrent_bulk_approvals_across_counties_do_not_deadlock(regions):
    qinshui, yangcheng = union_in(QINSHUI), union_in(YANGCHENG)
    ids = [ApplicationFactory(union=u).pk for _ in range(15) for u in (qinshui, yangcheng)]

    def bulk(chunk):
        return lambda: services.applications_decide(application_ids=chunk, action="approve")

    # Overlapping batches in different orders: rows are locked in id order, counters county by county.
    errors = run_together([bulk(ids), bulk(list(reversed(ids))), bulk(ids[::2]), bulk(ids[1::2])])
    assert errors == []
    assert sequences(QINSHUI) == list(range(1, 16)) and sequences(YANGCHENG) == list(range(1, 16))
