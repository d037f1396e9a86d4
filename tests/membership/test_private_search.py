"""Searching the member list by ID number works without the number ever appearing in a URL."""

import pytest
from django.urls import reverse

from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import MemberFactory, union_in

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:membership_member_changelist")
APPLICATIONS = reverse("admin:membership_membershipapplication_changelist")


@pytest.fixture
def two(regions):
    return MemberFactory(union=union_in(QINSHUI)), MemberFactory(union=union_in(QINSHUI))


def shown(response):
    return set(response.context["cl"].result_list.values_list("pk", flat=True))


def test_a_search_by_id_posts_and_the_list_opens_at_an_opaque_token(two, alice, client_for):
    wanted, other = two
    client = client_for(alice)
    response = client.post(f"{MEMBERS}?status__exact=active", {"q": wanted.resident_id, "_uh_search": "1"})
    assert response.status_code == 302
    location = response["Location"]
    assert wanted.resident_id not in location and "q_token=" in location and "status__exact=active" in location
    page = client.get(location)
    assert page.status_code == 200 and shown(page) == {wanted.pk}
    html = page.content.decode()
    assert 'method="post" role="search"' in html
    assert f"q={wanted.resident_id}" not in html  # no link on the page carries the number


def test_an_old_style_get_search_is_turned_into_a_token_at_once(two, alice, client_for):
    wanted, _ = two
    response = client_for(alice).get(MEMBERS, {"q": wanted.mobile})
    assert response.status_code == 302 and wanted.mobile not in response["Location"]


def test_a_token_means_nothing_in_another_session(two, alice, client_for):
    from django.test import Client

    wanted, _ = two
    location = client_for(alice).post(MEMBERS, {"q": wanted.resident_id, "_uh_search": "1"})["Location"]
    other = Client()
    other.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert len(shown(other.get(location))) == 2  # unknown token: no search, the whole list


def test_the_search_stays_inside_the_county(regions, bob, client_for):
    theirs = MemberFactory(union=union_in(QINSHUI))
    client = client_for(bob)
    location = client.post(MEMBERS, {"q": theirs.resident_id, "_uh_search": "1"})["Location"]
    assert shown(client.get(location)) == set()
    assert MemberFactory(union=union_in(YANGCHENG))


def test_the_application_queue_searches_the_same_way(regions, alice, client_for):
    response = client_for(alice).post(APPLICATIONS, {"q": "140521199005170158", "_uh_search": "1"})
    assert response.status_code == 302 and "140521199005170158" not in response["Location"]
