"""The county side: the review queue, decisions, masking, logged reveals, transfers, exports."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from membership.choices import ApplicationStatus, BatchStatus
from membership.models import Member, MembershipApplication, MemberTransfer, PersonalDataReveal, ReviewBatch
from tests.admin_forms import change_form_data
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import ApplicationFactory, MemberFactory, holding_pool, resident_id, union_in

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:membership_membershipapplication_changelist")
MEMBERS = reverse("admin:membership_member_changelist")


def change_url(obj):
    return reverse(f"admin:membership_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def union(regions):
    return union_in(QINSHUI, name="沁水县顺达货运有限公司工会")


def test_the_queue_is_pending_oldest_first_with_the_wait_and_a_mark_past_30_minutes(alice, client_for, union):
    now = timezone.now()
    late = ApplicationFactory(union=union, submitted_at=now - dt.timedelta(minutes=95))
    fresh = ApplicationFactory(union=union, submitted_at=now - dt.timedelta(minutes=4))
    decided = ApplicationFactory(union=union, submitted_at=now - dt.timedelta(hours=5))
    decided.status, decided.decided_at, decided.rejection_reason = "rejected", now, "重复"
    decided.save()
    response = client_for(alice).get(QUEUE)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows == [late, fresh]  # pending only, oldest first
    text = response.content.decode()
    assert "uh-bad" in text and "⚠" in text  # the late one is marked
    assert response.context["overdue_count"] == 1
    everything = client_for(alice).get(QUEUE, {"status": "all"})
    assert decided in everything.context["cl"].result_list


def test_the_queue_shows_the_pre_checks(alice, client_for, union, regions):
    member = MemberFactory(union=union)
    ApplicationFactory(union=union, resident_id=member.resident_id)
    twin = ApplicationFactory(union=None, county_id=QINSHUI)
    ApplicationFactory(union=None, county_id=QINSHUI, resident_id=twin.resident_id)
    response = client_for(alice).get(QUEUE)
    rows = {a.pk: a for a in response.context["cl"].result_list}
    assert any(a.is_member for a in rows.values())
    assert sum(a.has_duplicate for a in rows.values()) == 2
    text = response.content.decode()
    for css in ("uh-ok", "uh-warn"):
        assert css in text


def test_ids_and_mobiles_are_masked_in_the_lists(alice, client_for, union):
    member = MemberFactory(union=union)
    application = ApplicationFactory(union=union)
    for url, obj in ((MEMBERS, member), (QUEUE, application)):
        text = client_for(alice).get(url).content.decode()
        assert obj.resident_id not in text and obj.mobile not in text
        assert obj.resident_id_masked in text and obj.mobile_masked in text
        assert obj.resident_id_masked.startswith(QINSHUI) and "********" in obj.resident_id_masked


def test_the_member_page_never_carries_the_full_numbers_even_for_those_who_may_reveal(alice, client_for, union):
    member = MemberFactory(union=union)
    text = client_for(alice).get(change_url(member)).content.decode()
    assert member.resident_id not in text and member.mobile not in text
    assert reverse("admin:membership_member_reveal", args=[member.pk]) in text


def test_revealing_needs_the_permission_and_is_logged(alice, carol, client_for, union):
    member = MemberFactory(union=union)
    url = reverse("admin:membership_member_reveal", args=[member.pk])
    client = client_for(alice)
    asked = client.get(url)
    assert asked.status_code == 200 and member.resident_id not in asked.content.decode()
    assert not PersonalDataReveal.objects.exists()  # asking is not seeing
    shown = client.post(url)
    assert member.resident_id in shown.content.decode() and member.mobile in shown.content.decode()
    log = PersonalDataReveal.objects.get()
    assert (log.user, log.member, log.subject, log.region_id) == (alice, member, "member", QINSHUI)
    assert member.resident_id not in log.subject_label
    assert client_for(carol).post(url).status_code == 403  # city staff read, but may not reveal
    assert PersonalDataReveal.objects.count() == 1


def test_an_out_of_scope_reveal_behaves_as_missing(bob, client_for, union):
    member = MemberFactory(union=union)
    response = client_for(bob).post(reverse("admin:membership_member_reveal", args=[member.pk]))
    assert response.status_code == 302
    assert not PersonalDataReveal.objects.exists()


def test_an_application_can_be_revealed_too(alice, client_for, union):
    application = ApplicationFactory(union=union)
    url = reverse("admin:membership_membershipapplication_reveal", args=[application.pk])
    assert application.resident_id in client_for(alice).post(url).content.decode()
    assert PersonalDataReveal.objects.get().application == application


def test_the_history_page_masks_changed_numbers(alice, client_for, union):
    member = MemberFactory(union=union, mobile="13911112222")
    client = client_for(alice)
    data = change_form_data(client, change_url(member))
    data["new_mobile"] = ["13733334444"]
    assert client.post(change_url(member), data).status_code == 302
    member.refresh_from_db()
    assert member.mobile == "13733334444"
    text = client.get(change_url(member).replace("/change/", "/history/")).content.decode()
    assert "13911112222" not in text and "13733334444" not in text
    assert "139****2222" in text and "137****4444" in text


def test_approving_from_the_application_page_makes_the_member_and_returns_to_the_queue(
    alice, client_for, union, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(union=None, county_id=QINSHUI)
    client = client_for(alice)
    data = change_form_data(client, change_url(application))
    data["union"] = [str(union.pk)]
    data["_approve"] = ["1"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(application), data)
    assert response.status_code == 302 and response["Location"] == QUEUE
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.member.union == union and application.decided_by == alice
    assert application.member.card_number.startswith(QINSHUI)


def test_rejecting_from_the_application_page_needs_a_reason(alice, client_for, union):
    application = ApplicationFactory(union=union)
    client = client_for(alice)
    data = change_form_data(client, change_url(application)) | {"_reject": ["1"]}
    refused = client.post(change_url(application), data, follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    # The reviewer stays on the application, with the message at the top.
    assert refused.redirect_chain[-1][0] == change_url(application)
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    data["rejection_reason"] = ["姓名与身份证号码不符"]
    client.post(change_url(application), data)
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (ApplicationStatus.REJECTED, "姓名与身份证号码不符")


def test_a_decided_application_is_read_only(alice, client_for, union):
    application = ApplicationFactory(union=union)
    client = client_for(alice)
    data = change_form_data(client, change_url(application)) | {"_approve": ["1"]}
    client.post(change_url(application), data)
    text = client.get(change_url(application)).content.decode()
    assert 'name="_approve"' not in text and 'name="union"' not in text


def test_bulk_approval_in_one_go(alice, client_for, union, regions):
    holding_pool(QINSHUI)
    ids = [ApplicationFactory(union=union).pk, ApplicationFactory(union=None, county_id=QINSHUI).pk]
    response = client_for(alice).post(QUEUE, {"action": "approve_selected", "_selected_action": ids})
    assert response.status_code == 302
    assert Member.objects.count() == 2
    assert not MembershipApplication.objects.filter(status=ApplicationStatus.PENDING).exists()


def test_bulk_rejection_asks_for_the_reason_first(alice, client_for, union):
    ids = [ApplicationFactory(union=union).pk for _ in range(2)]
    client = client_for(alice)
    asked = client.post(QUEUE, {"action": "reject_selected", "_selected_action": ids})
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert MembershipApplication.objects.filter(status=ApplicationStatus.PENDING).count() == 2
    client.post(QUEUE, {"action": "reject_selected", "_selected_action": ids, "apply": "yes", "reason": "请到现场核验"})
    assert set(MembershipApplication.objects.values_list("status", flat=True)) == {ApplicationStatus.REJECTED}


def test_a_large_bulk_approval_becomes_a_job_with_progress(
    alice, client_for, union, settings, django_capture_on_commit_callbacks
):
    settings.MEMBERSHIP_BULK_SYNC_LIMIT = 3
    ids = [ApplicationFactory(union=union).pk for _ in range(4)]
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(QUEUE, {"action": "approve_selected", "_selected_action": ids})
    batch = ReviewBatch.objects.get()
    assert (batch.status, batch.decided, batch.requested_by) == (BatchStatus.DONE, 4, alice)
    page = client.get(change_url(batch))
    assert page.status_code == 200 and "<progress" in page.content.decode()


def test_changing_a_members_union_is_a_transfer_that_keeps_the_card(alice, client_for, union, regions):
    member = MemberFactory(union=holding_pool(QINSHUI))
    card = member.card_number
    client = client_for(alice)
    data = change_form_data(client, change_url(member))
    data["union"] = [str(union.pk)]
    assert client.post(change_url(member), data).status_code == 302
    member.refresh_from_db()
    assert (member.union, member.card_number) == (union, card)
    assert MemberTransfer.objects.get(member=member).by == alice


def test_the_transfer_action_moves_members_out_of_the_holding_pool(alice, client_for, union, regions):
    pool = holding_pool(QINSHUI)
    members = [MemberFactory(union=pool) for _ in range(2)]
    client = client_for(alice)
    ids = [m.pk for m in members]
    asked = client.post(MEMBERS, {"action": "transfer_selected", "_selected_action": ids})
    assert asked.status_code == 200
    offered = set(asked.context["form"].fields["to_union"].queryset.values_list("pk", flat=True))
    assert union.pk in offered and union_in(YANGCHENG).pk not in offered
    client.post(MEMBERS, {"action": "transfer_selected", "_selected_action": ids, "apply": "yes", "to_union": union.pk})
    assert set(Member.objects.values_list("union", flat=True)) == {union.pk}
    pooled = client.get(MEMBERS, {"pool": "yes"})
    assert list(pooled.context["cl"].result_list) == []


def test_a_manually_added_member_gets_a_card_number(alice, client_for, union):
    client = client_for(alice)
    response = client.post(
        reverse("admin:membership_member_add"),
        {
            "name": "赵师傅",
            "resident_id": resident_id(QINSHUI).lower(),
            "mobile": "13800001111",
            "union": union.pk,
            "employer": "顺达货运",
            "occupation": "truck_driver",
            "join_date": "2026-01-05",
            "status": "active",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get()
    assert member.card_number == f"{QINSHUI}2026000001" and member.source == "manual"


def test_exports_are_masked_for_readers_and_full_and_logged_for_those_who_may_reveal(alice, carol, union):
    member = MemberFactory(union=union)
    model_admin = site._registry[Member]
    for user, full in ((carol, False), (alice, True)):
        request = RequestFactory().get(MEMBERS)
        request.user = user
        text = model_admin.get_data_for_export(request, model_admin.get_export_queryset(request)).export("csv")
        assert (member.resident_id in text) is full
        assert member.resident_id_masked in text or full
    log = PersonalDataReveal.objects.get()
    assert (log.user, log.subject, log.count) == (alice, "export", 1)


def test_the_application_page_puts_the_decision_and_the_prechecks_at_the_top(alice, client_for, union):
    application = ApplicationFactory(union=union)
    text = client_for(alice).get(change_url(application)).content.decode()
    bar = text.index('id="decision-bar"')
    assert bar < text.index('name="_approve"') < text.index('name="rejection_reason"') < text.index("field-employer")
    assert bar < text.index('id="decision-checks"') < text.index("field-employer")


def test_the_queue_shows_time_left_and_past_the_promise_and_marks_the_oldest(alice, client_for, union):
    now = timezone.now()
    late = ApplicationFactory(union=union, submitted_at=now - dt.timedelta(minutes=45))
    ApplicationFactory(union=union, submitted_at=now - dt.timedelta(minutes=5))
    text = client_for(alice).get(QUEUE).content.decode()
    assert "超时 15 分钟" in text and "剩 25 分钟" in text
    assert text.count("uh-oldest") == 1 and text.index("uh-oldest") < text.index("剩 25 分钟")
    assert late.reference in text and "data-refresh-seconds" in text


def test_the_queue_checks_only_the_rows_of_its_page(alice, client_for, union, regions):
    """The pre-checks are one query over the page's rows: the list's own query (and its count) carry no
    EXISTS over the member register, which the planner would answer by hashing the county's members."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = MemberFactory(union=union)
    ApplicationFactory(union=union, resident_id=member.resident_id)
    client = client_for(alice)
    client.get(QUEUE, {"status": "all"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE, {"status": "all"})
    assert any(a.is_member for a in response.context["cl"].result_list)
    sqls = [q["sql"] for q in queries.captured_queries]
    with_exists = [sql for sql in sqls if "EXISTS" in sql and "membership_member" in sql]
    assert len(with_exists) == 1 and '"membership_membershipapplication"."id" IN (' in with_exists[0]
