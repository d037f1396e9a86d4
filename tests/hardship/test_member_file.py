"""The worker's file (一人一档) reached from a member's page in membership's admin, through the
"member_actions" page hook (membership never imports hardship): scoped and masked, permission-checked."""

import pytest
from django.urls import reverse

from tests.hardship.factories import household
from tests.membership.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(regions):
    return MemberFactory(name="郭桂兰")


def file_url(member):
    return reverse("admin:hardship_household_member_file", args=[member.pk])


def test_the_member_page_links_the_workers_file(client_for, alice, member):
    household(head_name="郭桂兰", resident_id=member.resident_id, union=member.union)
    client = client_for(alice)
    page = client.get(reverse("admin:membership_member_change", args=[member.pk])).content.decode()
    assert 'id="worker-file-link"' in page and file_url(member) in page
    text = client.get(file_url(member)).content.decode()
    assert "郭桂兰" in text and "在档" in text and member.card_number in text
    assert member.resident_id not in text and member.mobile not in text


def test_another_county_gets_not_found_and_the_city_reads(client_for, bob, carol, member):
    assert client_for(bob).get(file_url(member)).status_code == 404
    assert client_for(carol).get(file_url(member)).status_code == 200


def test_without_the_household_permission_there_is_no_link_and_no_page(client_for, member):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    clerk = UserFactory(username="clerk", region="140521")
    clerk.user_permissions.add(Permission.objects.get(codename="view_member"))
    client = client_for(clerk)
    page = client.get(reverse("admin:membership_member_change", args=[member.pk]))
    assert page.status_code == 200 and "worker-file-link" not in page.content.decode()
    assert client.get(file_url(member)).status_code == 403


def test_anonymous_is_sent_to_log_in(client, member):
    response = client.get(file_url(member))
    assert response.status_code == 302 and "/login/" in response["Location"]
