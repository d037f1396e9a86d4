"""The event sign-up form a worker fills in on a phone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.forms import MobileField


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    mobile = MobileField(label=_("mobile number"))
    is_member = forms.BooleanField(label=_("I am a union member"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that the union keeps my name and mobile number for this event."), required=True
    )
