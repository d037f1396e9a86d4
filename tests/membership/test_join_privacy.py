"""An application for a person already registered: a transfer request that only the member's own county sees
and decides, proven by the member's registered mobile number. Told from both counties and the public side."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from membership import services
from membership.choices import ApplicationStatus
from membership.models import MembershipApplication
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import ApplicationFactory, MemberFactory, holding_pool, union_in
from tests.membership.test_public import JOIN, STATUS, application_data, submit

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:membership_membershipapplication_changelist")
STRANGER_MOBILE = "13700000001"


@pytest.fixture
def member(regions):
    holding_pool(QINSHUI), holding_pool(YANGCHENG)
    return MemberFactory(union=union_in(QINSHUI), mobile="13912345678", name="李秀英")


@pytest.fixture
def yangcheng_union(regions):
    return union_in(YANGCHENG)


def apply_as(client, member, union, mobile):
    response = submit(client, resident_id=member.resident_id, mobile=mobile, union=str(union.pk), name="冒名者")
    assert response.status_code == 302
    return MembershipApplication.objects.latest("pk")


def status_page(client, application, mobile):
    return client.post(STATUS, {"reference": application.reference, "mobile": mobile}).content.decode()


def queue_text(client_for, user):
    return client_for(user).get(QUEUE, {"status": "all"}).content.decode()


def test_a_strangers_application_with_a_members_id_reaches_only_the_members_county(
    client, member, yangcheng_union, alice, bob, client_for
):
    application = apply_as(client, member, yangcheng_union, STRANGER_MOBILE)
    assert application.county_id == QINSHUI  # the member's county decides, not the named union's
    bob_queue = queue_text(client_for, bob)
    assert application.reference not in bob_queue
    alice_queue = queue_text(client_for, alice)
    assert application.reference in alice_queue
    assert "mobile differs" in alice_queue or "手机号与会员登记的不同" in alice_queue


def test_a_transfer_request_without_the_registered_mobile_cannot_be_approved_and_shows_nothing(
    client, member, yangcheng_union, alice
):
    application = apply_as(client, member, yangcheng_union, STRANGER_MOBILE)
    with pytest.raises(ValidationError):
        services.application_approve(application=application, by=alice)
    application.refresh_from_db()
    member.refresh_from_db()
    assert application.member is None and application.status == ApplicationStatus.PENDING
    assert member.union.region_id.startswith(QINSHUI)
    text = status_page(client, application, STRANGER_MOBILE)
    assert member.card_number not in text and str(member.union) not in text


def test_the_member_herself_transfers_with_her_registered_mobile(client, member, yangcheng_union, alice):
    application = apply_as(client, member, yangcheng_union, member.mobile)
    approved = services.application_approve(application=application, by=alice)
    member.refresh_from_db()
    assert approved == member and member.union == yangcheng_union
    assert member.transfers.get().to_union == yangcheng_union
    assert member.card_number in status_page(client, application, member.mobile)


def test_another_county_never_learns_of_the_member_even_when_the_application_reached_it(
    member, yangcheng_union, bob, client_for
):
    """An application already in 阳城县 (the member registered in 沁水县 after it came in)."""
    application = ApplicationFactory(union=yangcheng_union, resident_id=member.resident_id, mobile=member.mobile)
    text = client_for(bob).get(reverse("admin:membership_membershipapplication_change", args=[application.pk]))
    text = text.content.decode()
    assert "already a member" not in text and "已是会员" not in text and member.card_number not in text
    with pytest.raises(ValidationError) as refused:
        services.application_approve(application=application, by=bob)
    assert member.card_number not in str(refused.value) and member.name not in str(refused.value)
    application.refresh_from_db()
    assert application.member is None and application.status == ApplicationStatus.PENDING


def test_a_stranger_cannot_lock_a_person_out_of_applying(client, member, yangcheng_union, settings):
    settings.MEMBERSHIP_JOIN_RATE_PER_ID = "3/h"
    for n in range(4):
        last = submit(client, ip=f"10.1.0.{n}", resident_id=member.resident_id, mobile=STRANGER_MOBILE)
    assert last.status_code == 429
    own = submit(client, ip="10.2.0.1", resident_id=member.resident_id, mobile=member.mobile)
    assert own.status_code == 302


def test_the_join_page_ignores_a_station_the_finder_hides(client, regions):
    from stations.choices import StationStatus
    from tests.stations.factories import StationFactory

    hidden = StationFactory(region_id="140521104", status=StationStatus.PLANNED, name="筹建中的驿站")
    assert hidden.name not in client.get(JOIN, {"station": hidden.code}).content.decode()
    assert application_data()  # the shared form data still builds
