"""The admin's forms: their shape, with the services' validation called in ``clean`` (no service imported
here: the admin passes the validating function in)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.choices import Outcome, SheetSize
from employment.models import Referral


class CheckForm(forms.Form):
    good_standing = forms.BooleanField(
        label=_("I checked the employer's standing: licence valid, no wage arrears on record"), required=False
    )


class ReferralOutcomeForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["interview_on", "outcome", "outcome_on"]

    def clean(self):
        cleaned = super().clean()
        referred_on = self.instance.referred_on
        for name in ("interview_on", "outcome_on"):
            if cleaned.get(name) and referred_on and cleaned[name] < referred_on:
                self.add_error(name, _("This date cannot be before the referral."))
        return cleaned


class SheetForm(forms.Form):
    station = forms.ModelChoiceField(queryset=None, label=_("station"))
    size = forms.ChoiceField(choices=SheetSize.choices, label=_("size"))

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class WishImportForm(forms.Form):
    station = forms.ModelChoiceField(queryset=None, label=_("station"))
    file = forms.FileField(label=_("spreadsheet (XLSX, XLS or CSV)"))

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


def _year_start() -> dt.date:
    return timezone.localdate().replace(month=1, day=1)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("from"), required=False)
    end = forms.DateField(label=_("to"), required=False)
    group = forms.ChoiceField(
        label=_("per"),
        required=False,
        choices=[("county", _("county")), ("town", _("town")), ("station", _("station"))],
    )

    def period(self) -> tuple[dt.date, dt.date, str]:
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or _year_start()
        end = data.get("end") or timezone.localdate()
        return start, end, data.get("group") or "county"


class ReferForm(forms.Form):
    wish = forms.IntegerField(widget=forms.HiddenInput)


OUTCOME_CHOICES = Outcome.choices
