"""The worker's job-wish form (a phone at a station, no account)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from membership.choices import occupation_groups
from unionhub.models.regions import Region


class WishForm(forms.Form):
    occupation = forms.ChoiceField(label=_("What work do you want?"), choices=())
    area = forms.ModelChoiceField(
        label=_("Where (town)"), queryset=Region.objects.none(), required=False, empty_label=_("anywhere nearby")
    )
    pay_expected = forms.DecimalField(
        label=_("Pay you expect (yuan a month)"),
        min_value=1,
        max_digits=9,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    max_daily_hours = forms.IntegerField(
        label=_("Hours a day at most"),
        min_value=1,
        max_value=24,
        initial=8,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    skills = forms.CharField(label=_("Skills, driving licence, certificates"), max_length=200, required=False)
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that the union shares my wish and mobile number with employers that fit it."),
        required=False,
    )

    def __init__(self, *args, county: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].choices = [("", "—"), *occupation_groups()]
        self.fields["area"].queryset = Region.objects.filter(code__startswith=county, level="town").order_by("code")
