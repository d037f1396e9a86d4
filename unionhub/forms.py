"""Form fields every app uses."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.validators import normalize_mobile


class MobileField(forms.CharField):
    """A mainland mobile number, typed on a phone keyboard and normalised (+86, spaces, dashes)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        return normalize_mobile(super().clean(value))
