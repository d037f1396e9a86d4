"""Names refuse zero-width and text-direction characters, with one message, wherever a name comes in."""

import pytest
from django.urls import reverse

from membership.models import MembershipApplication, RosterRow, RowAction
from tests.admin_forms import change_form_data
from tests.factories import QINSHUI
from tests.membership.factories import MemberFactory, holding_pool, resident_id, union_in
from tests.membership.test_public import submit
from tests.membership.test_roster import csv, upload
from tests.unionhub.test_validators_invisible import INVISIBLE_NAMES

pytestmark = pytest.mark.django_db

MESSAGE_PART = "zero-width"  # English msgid; the Chinese catalogue says 零宽


def says_invisible(text: str) -> bool:
    return MESSAGE_PART in text or "零宽" in text or "看不见" in text  # the roster names the character


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_the_join_form_refuses_an_invisible_character_in_a_name(client, regions, name):
    holding_pool(QINSHUI)
    response = submit(client, name=name)
    assert response.status_code == 400
    assert says_invisible(response.content.decode())
    assert not MembershipApplication.objects.exists()


def test_the_admin_member_form_refuses_it(regions, alice, client_for):
    member = MemberFactory(union=union_in(QINSHUI))
    client = client_for(alice)
    url = reverse("admin:membership_member_change", args=[member.pk])
    data = change_form_data(client, url)
    data["name"] = ["王\u200b芳"]
    response = client.post(url, data)
    assert response.status_code == 200 and says_invisible(response.content.decode())
    member.refresh_from_db()
    assert "\u200b" not in member.name


def test_the_roster_import_refuses_it(settings, tmp_path, regions, alice):
    settings.MEDIA_ROOT = tmp_path
    union_in(QINSHUI, name="嘉峰煤矿工会")
    roster = upload(alice, csv(f"张\u202e伟,{resident_id()},13800000000,嘉峰煤矿工会,,,,"))
    row = RosterRow.objects.get(roster=roster)
    assert row.action == RowAction.ERROR
    assert any(says_invisible(message) and "U+202E" in message for _column, message, *_rest in row.errors)
