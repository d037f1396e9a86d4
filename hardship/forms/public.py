"""The worker's forms on a phone: apply for hardship assistance, follow the application. Shape only: the
rules (ID, duplicates, consent, documents by content) are the register service's."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.public import CODE_ATTRS, AttachmentsField
from hardship.models import Cause
from hardship.models.evidence import EvidenceKind
from membership.forms.join import UnionChoiceField, joinable_unions
from unionhub.forms import MobileField
from unionhub.models.regions import UnionOrganization


class UnionField(UnionChoiceField):
    """membership's grouped union choice, required here (a household is filed by a union)."""

    def _grouped(self):
        return [("", "—"), *super()._grouped()[1:]]


class ApplyForm(forms.Form):
    """Only what the grassroots union needs to visit: who, how many, how much, why."""

    union = UnionField(
        label=_("Your grassroots union"),
        queryset=UnionOrganization.objects.none(),
        help_text=_("The union of your workplace (grouped by county); it visits your home."),
    )
    head_name = forms.CharField(label=_("Head of household's name"), max_length=50)
    resident_id = forms.CharField(
        label=_("Head of household's ID number"), max_length=18, widget=forms.TextInput(attrs=CODE_ATTRS)
    )
    mobile = MobileField(help_text=_("With the reference number, this is how you follow your application."))
    people_count = forms.IntegerField(label=_("People in the household"), min_value=1, max_value=20, initial=1)
    income_per_head = forms.DecimalField(
        label=_("Income a month per person (yuan)"),
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        help_text=_("The household's whole income a month divided by its people."),
    )
    cause = forms.ChoiceField(label=_("Main cause of the difficulty"), choices=[("", "—"), *Cause.choices])
    account = forms.CharField(
        label=_("What is the difficulty?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences: what happened, what the household lives on now."),
    )
    evidence_kind = forms.ChoiceField(
        label=_("What are the documents?"), choices=EvidenceKind.choices, required=False, initial="income"
    )
    evidence = AttachmentsField(
        label=_("Documents (photos or PDF)"),
        help_text=_("Up to 2 files: income certificate, medical bills, disability card. You can also bring them."),
    )
    consent = forms.BooleanField(
        label=_("I agree that the union uses these details to handle my application and visits my home."),
        error_messages={"required": _("Please agree to the personal-information notice to continue.")},
    )

    def __init__(self, *args, counties: dict[str, str], county: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = [county] if county else list(counties)
        self.fields["union"].queryset = joinable_unions(codes)
        self.fields["union"].county_names = counties


class StatusForm(forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=12, widget=forms.TextInput(attrs=CODE_ATTRS))
    mobile = MobileField()

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()
