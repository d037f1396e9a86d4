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


def fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() and ch.isascii() else ch for ch in text)


def id_ending_in_x() -> str:
    from tests.membership.factories import resident_id

    while not (value := resident_id()).endswith("X"):
        pass
    return value


def search(client, url, term):
    location = client.post(url, {"q": term, "_uh_search": "1"})["Location"]
    assert term.strip() not in location
    return shown(client.get(location))


def test_an_id_mobile_or_card_number_is_found_however_it_is_typed(regions, alice, client_for):
    wanted = MemberFactory(union=union_in(QINSHUI), resident_id=id_ending_in_x())
    MemberFactory(union=union_in(QINSHUI))
    client = client_for(alice)
    rid, mobile, card = wanted.resident_id, wanted.mobile, wanted.card_number
    typed_ids = [rid, rid.lower(), f"{rid[:6]} {rid[6:14]} {rid[14:]}", fullwidth(rid.lower()), f"  {rid}  "]
    typed_mobiles = [f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}", f"+86 {mobile}", fullwidth(mobile)]
    typed_cards = [card, f"{card[:6]}-{card[6:10]}-{card[10:]}", fullwidth(card)]
    for typed in typed_ids + typed_mobiles + typed_cards:
        assert search(client, MEMBERS, typed) == {wanted.pk}, typed


def test_the_application_queue_finds_an_applicant_by_any_form_of_the_id(regions, alice, client_for):
    from tests.membership.factories import ApplicationFactory

    wanted = ApplicationFactory(union=union_in(QINSHUI), resident_id=id_ending_in_x())
    ApplicationFactory(union=union_in(QINSHUI))
    client = client_for(alice)
    rid = wanted.resident_id.lower()
    for typed in [rid, f"{rid[:6]} {rid[6:14]} {rid[14:]}", fullwidth(rid)]:
        assert search(client, APPLICATIONS, typed) == {wanted.pk}, typed
