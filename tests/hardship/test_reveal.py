"""A household's full numbers leave only through the reveal page, logged as a household in the one reveal log."""

import pytest
from django.urls import reverse

from membership.choices import RevealSubject
from membership.models import PersonalDataReveal
from tests.hardship.factories import household

pytestmark = pytest.mark.django_db


def test_county_staff_reveal_a_household_and_the_reveal_is_logged(alice, client_for):
    home = household()
    url = reverse("admin:hardship_household_reveal", args=[home.pk])
    client = client_for(alice)
    assert client.get(url).status_code == 200
    assert not PersonalDataReveal.objects.exists()  # asking is not revealing
    shown = client.post(url).content.decode()
    assert home.resident_id in shown and home.bank_account in shown
    log = PersonalDataReveal.objects.get()
    assert log.subject == RevealSubject.HOUSEHOLD and log.user == alice and log.region_id == "140521"
    assert home.resident_id not in log.subject_label  # the log names the person with the number masked


def test_another_county_cannot_reveal_it(bob, client_for):
    home = household()
    response = client_for(bob).post(reverse("admin:hardship_household_reveal", args=[home.pk]))
    assert response.status_code in (302, 404)
    assert not PersonalDataReveal.objects.exists()
