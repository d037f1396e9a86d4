"""Tokens in the admin: made for a staff account, the secret shown once (only its digest kept), revoked with an
action; an expired expiry or a non-staff account is refused beside its field."""

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from tests.api.conftest import problem

pytestmark = pytest.mark.django_db

ADD = reverse("admin:api_apitoken_add")
CHANGELIST = reverse("admin:api_apitoken_changelist")


def _when(moment):
    local = timezone.localtime(moment)
    return {"expires_at_0": local.strftime("%Y-%m-%d"), "expires_at_1": local.strftime("%H:%M:%S")}


def test_root_makes_a_token_sees_the_secret_once_and_revokes_it(client, people, api):
    client.force_login(people["root"])
    expiry = timezone.now() + dt.timedelta(days=30)
    response = client.post(ADD, {"user": people["alice"].pk, "name": "省级平台", **_when(expiry)}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    secret = re.search(r"(uh_[A-Za-z0-9_\-]{30,})", page).group(1)
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest() and secret not in str(token.__dict__)
    assert token.user == people["alice"] and token.created_by == people["root"]
    assert api.get("/api/v1/staff/membership/members/", secret).status_code == 200
    listing = client.get(CHANGELIST).content.decode()
    assert token.prefix in listing and secret not in listing
    client.post(CHANGELIST, {"action": "revoke_selected", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "撤销" in problem(api.get("/api/v1/staff/membership/members/", secret))["detail"]


def test_a_past_expiry_or_a_non_staff_account_is_refused_beside_the_field(client, people):
    client.force_login(people["root"])
    people["bob"].is_staff = False
    people["bob"].save()
    past = timezone.now() - dt.timedelta(days=1)
    response = client.post(ADD, {"user": people["bob"].pk, "name": "平台", **_when(past)})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "expires_at" in errors and "user" in errors
    assert not ApiToken.objects.exists()
