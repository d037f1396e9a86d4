"""Bulk approval in the review queue decides what it can: the rest are listed with their reason and stay ticked."""

import re

import pytest
from django.urls import reverse

from membership.choices import ApplicationStatus
from membership.models import Member, MembershipApplication, ReviewBatch
from tests.factories import QINSHUI
from tests.membership.factories import ApplicationFactory, MemberFactory, holding_pool, union_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def union(regions):
    return union_in(QINSHUI, name="山西沁水县嘉峰镇殷庄村煤矿机电设备维修服务有限责任公司联合工会委员会")


QUEUE = reverse("admin:membership_membershipapplication_changelist")


def ticked(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)" class="action-select" checked', html)}


def test_a_bulk_approval_with_a_mix_approves_the_good_and_keeps_the_flagged_ticked_with_reasons(
    alice, client_for, union, regions
):
    holding_pool(QINSHUI)
    good = [ApplicationFactory(union=union).pk for _ in range(3)]
    member = MemberFactory(union=union)
    flagged = ApplicationFactory(union=union, resident_id=member.resident_id, mobile="13900001813")
    client = client_for(alice)
    response = client.post(QUEUE, {"action": "approve_selected", "_selected_action": [*good, flagged.pk]}, follow=True)
    html = response.content.decode()
    assert MembershipApplication.objects.filter(pk__in=good, status=ApplicationStatus.APPROVED).count() == 3
    assert MembershipApplication.objects.get(pk=flagged.pk).status == ApplicationStatus.PENDING
    assert Member.objects.count() == 4  # three new members and the one who was there
    assert "已审核 3 份申请" in html
    assert "以下 1 份申请未能审核" in html and flagged.reference in html and "手机号" in html
    assert "未作任何审核" not in html
    assert ticked(html) == {flagged.pk}  # still selected after the redirect, the approved ones gone
    assert ticked(client.get(QUEUE).content.decode()) == set()  # once: a later visit starts clear


def test_a_bulk_approval_where_none_passes_says_why_for_each_and_keeps_them_all_ticked(alice, client_for, union):
    # 沁水县 has no holding pool here: applications without a union cannot be approved in bulk.
    orphans = [ApplicationFactory(union=None, county_id=QINSHUI) for _ in range(2)]
    response = client_for(alice).post(
        QUEUE, {"action": "approve_selected", "_selected_action": [a.pk for a in orphans]}, follow=True
    )
    html = response.content.decode()
    assert "未作任何审核" not in html and "已审核 0 份" not in html
    assert "以下 2 份申请未能审核" in html and all(a.reference in html for a in orphans)
    assert ticked(html) == {a.pk for a in orphans}
    assert not Member.objects.exists()


def test_the_bulk_job_page_lists_the_flagged_applications(
    alice, client_for, union, settings, django_capture_on_commit_callbacks
):
    settings.MEMBERSHIP_BULK_SYNC_LIMIT = 1
    holding_pool(QINSHUI)
    good = ApplicationFactory(union=union)
    member = MemberFactory(union=union)
    flagged = ApplicationFactory(union=union, resident_id=member.resident_id, mobile="13900001813")
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(QUEUE, {"action": "approve_selected", "_selected_action": [good.pk, flagged.pk]})
    batch = ReviewBatch.objects.get()
    page = client.get(reverse("admin:membership_reviewbatch_change", args=[batch.pk])).content.decode()
    assert "未能审核的申请及原因" in page and flagged.reference in page
