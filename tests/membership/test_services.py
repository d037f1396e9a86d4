"""Decisions, card numbers, the holding pool, transfers and notifications, as stories."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from membership import services
from membership.choices import ApplicationStatus, BatchStatus, Channel, MemberSource, MemberStatus
from membership.models import CardCounter, Member, MembershipApplication, ReviewBatch
from tests.factories import JIAFENG, QINSHUI, YANGCHENG
from tests.membership.factories import ApplicationFactory, MemberFactory, holding_pool, resident_id, union_in
from tests.stations.factories import StationFactory
from unionhub.models import MessageStatus
from unionhub.services.messages import messages_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def union(regions):
    return union_in(QINSHUI, name="沁水县顺达货运有限公司工会")


@pytest.fixture
def pool(regions):
    return holding_pool(QINSHUI)


def year() -> int:
    return timezone.localdate().year


def test_it_approves_an_application_into_a_new_member_with_the_countys_next_card_number(union, alice):
    first = ApplicationFactory(union=union)
    second = ApplicationFactory(union=union)
    one = services.application_approve(application=first, by=alice)
    two = services.application_approve(application=second, by=alice)
    assert one.card_number == f"{QINSHUI}{year()}000001"
    assert two.card_number == f"{QINSHUI}{year()}000002"
    assert (one.source, one.status, one.union) == (MemberSource.ONLINE, MemberStatus.ACTIVE, union)
    assert (one.resident_id, one.gender, one.birth_date) == (first.resident_id, first.gender, first.birth_date)
    first.refresh_from_db()
    assert (first.status, first.member, first.decided_by) == (ApplicationStatus.APPROVED, one, alice)
    assert first.decided_at is not None


def test_card_numbers_count_per_county_and_year(union, regions):
    yangcheng = union_in(YANGCHENG)
    a = services.application_approve(application=ApplicationFactory(union=union))
    b = services.application_approve(application=ApplicationFactory(union=yangcheng))
    old = MemberFactory(union=union, join_date=dt.date(2024, 6, 1))
    assert a.card_number.endswith("000001") and b.card_number.endswith("000001")
    assert b.card_number.startswith(f"{YANGCHENG}{year()}")
    assert old.card_number == f"{QINSHUI}2024000001"
    assert CardCounter.objects.get(county_id=QINSHUI, year=year()).last == 1


def test_a_worker_with_no_union_goes_into_the_countys_holding_pool(pool, regions):
    application = ApplicationFactory(union=None, county_id=QINSHUI)
    member = services.application_approve(application=application)
    assert member.union == pool and member.in_holding_pool
    assert member.card_number.startswith(QINSHUI)


def test_a_county_without_a_holding_pool_gets_a_clear_refusal_and_no_number_is_used(regions):
    application = ApplicationFactory(union=None, county_id=YANGCHENG)
    with pytest.raises(ValidationError, match=YANGCHENG):
        services.application_approve(application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert not Member.objects.exists()


def test_a_second_application_from_a_member_never_makes_a_second_member(union):
    member = MemberFactory(union=union)
    again = ApplicationFactory(union=union, resident_id=member.resident_id, mobile=member.mobile)
    assert services.application_approve(application=again) == member
    assert Member.objects.filter(resident_id=member.resident_id).count() == 1
    again.refresh_from_db()
    assert again.member == member and again.status == ApplicationStatus.APPROVED
    assert CardCounter.objects.get(county_id=QINSHUI, year=2025).last == 1  # no number was spent


def test_two_pending_applications_of_one_person_approved_together_make_one_member(union, pool):
    rid = resident_id()
    same = {"resident_id": rid, "mobile": "13800000001"}
    ids = [ApplicationFactory(union=union, **same).pk, ApplicationFactory(union=None, **same).pk]
    outcome = services.applications_decide(application_ids=ids, action="approve")
    assert outcome.decided == 2
    assert Member.objects.filter(resident_id=rid).count() == 1
    assert CardCounter.objects.get(county_id=QINSHUI, year=year()).last == 1


def test_a_lapsed_member_who_applies_again_is_active_again_with_the_same_card(union, regions):
    other = union_in(QINSHUI)
    member = MemberFactory(union=union, status=MemberStatus.LAPSED)
    again = ApplicationFactory(union=other, resident_id=member.resident_id, mobile=member.mobile)
    services.application_approve(application=again)
    member.refresh_from_db()
    assert (member.status, member.union, member.card_number) == (MemberStatus.ACTIVE, other, f"{QINSHUI}2025000001")
    assert member.transfers.get().from_union == union


def test_a_decided_application_cannot_be_decided_again(union):
    application = ApplicationFactory(union=union)
    services.application_reject(application=application, reason="信息不实")
    with pytest.raises(ValidationError):
        services.application_approve(application=application)
    assert not Member.objects.exists()


def test_a_rejection_needs_a_reason_the_worker_can_read(union):
    application = ApplicationFactory(union=union)
    with pytest.raises(ValidationError):
        services.application_reject(application=application, reason="  ")
    services.application_reject(application=application, reason="身份证号码与姓名不符，请核对后重新申请。")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.rejection_reason.startswith("身份证号码")


def test_a_bulk_approval_decides_what_it_can_and_flags_the_rest_with_the_reason(union, pool, regions):
    good = [ApplicationFactory(union=union).pk for _ in range(3)]
    orphan = ApplicationFactory(union=None, county_id=YANGCHENG)  # 阳城县 has no holding pool
    member = MemberFactory(union=union)
    stranger = ApplicationFactory(union=union, resident_id=member.resident_id, mobile="13900001813")
    outcome = services.applications_decide(application_ids=[*good, orphan.pk, stranger.pk], action="approve")
    assert (outcome.decided, outcome.skipped) == (3, 0)
    assert {f.pk for f in outcome.flagged} == {orphan.pk, stranger.pk}
    reasons = {f.pk: f.reason for f in outcome.flagged}
    assert "holding-pool" in reasons[orphan.pk] or "周转库" in reasons[orphan.pk]
    assert stranger.reference in reasons[stranger.pk] and "手机号" in reasons[stranger.pk]
    assert MembershipApplication.objects.filter(pk__in=good, status=ApplicationStatus.APPROVED).count() == 3
    assert set(MembershipApplication.objects.filter(status=ApplicationStatus.PENDING).values_list("pk", flat=True)) == {
        orphan.pk,
        stranger.pk,
    }
    member.refresh_from_db()
    assert member.mobile != "13900001813"  # the flagged transfer changed nothing about the member
    # The flagged ones spent no card number: the counter is where the numbers issued this year end, no gap.
    issued = Member.objects.filter(card_number__startswith=f"{QINSHUI}{year()}").count()
    assert CardCounter.objects.get(county_id=QINSHUI, year=year()).last == issued >= 3


def test_a_bulk_approval_where_nothing_passes_decides_nothing_and_flags_all(union, regions):
    orphans = [ApplicationFactory(union=None, county_id=YANGCHENG).pk for _ in range(2)]
    outcome = services.applications_decide(application_ids=orphans, action="approve")
    assert outcome.decided == 0 and sorted(f.pk for f in outcome.flagged) == sorted(orphans)
    assert not Member.objects.exists()
    assert not CardCounter.objects.filter(last__gt=0).exists()


def test_a_bulk_job_records_the_flagged_applications(
    union, alice, regions, settings, django_capture_on_commit_callbacks
):
    settings.MEMBERSHIP_BULK_SYNC_LIMIT = 1
    good = ApplicationFactory(union=union).pk
    member = MemberFactory(union=union)
    stranger = ApplicationFactory(union=union, resident_id=member.resident_id, mobile="13900001813")
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.review_batch_create(action="approve", application_ids=[good, stranger.pk], by=alice)
    batch.refresh_from_db()
    assert (batch.decided, batch.skipped) == (1, 1)
    assert [item["reference"] for item in batch.flagged] == [stranger.reference]


def test_a_bulk_approval_skips_what_was_already_decided_and_numbers_oldest_first(union):
    now = timezone.now()
    newer = ApplicationFactory(union=union, submitted_at=now - dt.timedelta(minutes=5))
    older = ApplicationFactory(union=union, submitted_at=now - dt.timedelta(minutes=50))
    done = ApplicationFactory(union=union)
    services.application_reject(application=done, reason="重复申请")
    outcome = services.applications_decide(application_ids=[newer.pk, older.pk, done.pk], action="approve")
    assert (outcome.decided, outcome.skipped) == (2, 1)
    older.refresh_from_db(), newer.refresh_from_db()
    assert older.member.card_number < newer.member.card_number


def test_a_large_batch_runs_as_a_job_and_reports_progress(union, alice, settings, django_capture_on_commit_callbacks):
    settings.MEMBERSHIP_BULK_SYNC_LIMIT = 2
    ids = [ApplicationFactory(union=union).pk for _ in range(5)]
    outside = ApplicationFactory(union=union_in(YANGCHENG)).pk  # not alice's: skipped by the job
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.review_batch_create(action="approve", application_ids=[*ids, outside], by=alice)
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.decided, batch.skipped) == (BatchStatus.DONE, 6, 5, 1)
    assert batch.progress() == 6 and batch.region_id == QINSHUI
    assert Member.objects.count() == 5
    assert services.review_batch_run(batch_id=batch.pk).decided == 5  # a second delivery changes nothing
    assert Member.objects.count() == 5


def test_a_job_that_can_decide_nothing_records_why_for_each(alice, regions, django_capture_on_commit_callbacks):
    ids = [ApplicationFactory(union=None, county_id=QINSHUI).pk for _ in range(2)]  # no holding pool yet
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.review_batch_create(action="approve", application_ids=ids, by=alice)
    batch = ReviewBatch.objects.get(pk=batch.pk)
    assert (batch.status, batch.decided) == (BatchStatus.DONE, 0)
    assert sorted(item["id"] for item in batch.flagged) == sorted(ids)
    assert all(QINSHUI in item["reason"] for item in batch.flagged)
    assert MembershipApplication.objects.filter(status=ApplicationStatus.PENDING).count() == 2


def test_a_transfer_keeps_the_card_number_and_the_history(union, regions, alice):
    member = MemberFactory(union=holding_pool(QINSHUI))
    card = member.card_number
    transfer = services.member_transfer(member=member, to_union=union, by=alice, reason="分配到基层工会")
    member.refresh_from_db()
    assert (member.union, member.card_number) == (union, card)
    assert (transfer.from_union.is_holding_pool, transfer.to_union, transfer.by) == (True, union, alice)
    assert [h.union_id for h in member.history.order_by("history_date")] == [transfer.from_union.pk, union.pk]
    with pytest.raises(ValidationError):
        services.member_transfer(member=member, to_union=union)


def test_the_county_of_an_application_comes_from_its_qr_code_union_or_id(regions):
    station = StationFactory(region_id=JIAFENG)
    pool = holding_pool(QINSHUI)
    via_station = services.application_submit(
        name="甲",
        resident_id=resident_id("110105"),
        mobile="13900000001",
        occupation="courier",
        source_station=station,
        consent_version="v1",
    )
    assert (via_station.county_id, via_station.channel, via_station.consent_version) == (
        QINSHUI,
        Channel.STATION_QR,
        "v1",
    )
    by_id = services.application_submit(
        name="乙",
        resident_id=resident_id(QINSHUI),
        mobile="13900000002",
        occupation="courier",
        consent_version="v1",
        served_counties=[pool.region_id],
    )
    assert (by_id.county_id, by_id.channel) == (QINSHUI, Channel.DIRECT)
    unknown = services.application_submit(
        name="丙", resident_id=resident_id("110105"), mobile="13900000003", occupation="courier", consent_version="v1"
    )
    assert unknown.county_id is None


def test_the_worker_is_told_after_commit_on_every_channel(union, settings, caplog, django_capture_on_commit_callbacks):
    settings.MESSAGE_BACKENDS = ["console", "email"]
    settings.MESSAGE_EMAIL_TO = "{mobile}@sms.example.cn"
    application = ApplicationFactory(union=union, mobile="13912345678")
    with caplog.at_level(logging.INFO, logger="unionhub.messaging.backends"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            member = services.application_approve(application=application)
        assert not mail.outbox  # nothing is sent before the decision is committed
        for callback in callbacks:
            callback()
    assert [m.to for m in mail.outbox] == [["13912345678@sms.example.cn"]]
    assert member.card_number in mail.outbox[0].body and "欢迎加入工会" in mail.outbox[0].body
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text
    application.refresh_from_db()
    assert application.notified_at is not None


def test_a_rejected_worker_is_told_the_reason(union, settings, django_capture_on_commit_callbacks):
    settings.MESSAGE_EMAIL_TO = "{mobile}@sms.example.cn"
    application = ApplicationFactory(union=union)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(application=application, reason="请到驿站现场核验身份。")
    assert "请到驿站现场核验身份。" in mail.outbox[0].body


def test_a_decision_is_a_message_about_the_application_in_its_county(
    union, settings, django_capture_on_commit_callbacks
):
    settings.MESSAGE_BACKENDS = ["console"]
    application = ApplicationFactory(union=union, mobile="13700000000")
    with django_capture_on_commit_callbacks(execute=True):
        member = services.application_approve(application=application)
    application.refresh_from_db()
    [message] = messages_about(application)
    assert message.template == "membership.application_approved" and message.status == MessageStatus.SENT
    assert message.recipient_display == "137****0000" and member.card_number in message.text
    assert message.region_id == application.county_id and message.params["card"] == member.card_number
