"""Forms: the public join and status forms, and the admin's member and review forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from membership.choices import JOINABLE_KINDS, occupation_groups
from membership.models import Member, MembershipApplication
from membership.models.applications import REFERENCE_LENGTH, reference_normalize
from unionhub.forms import FixedChoiceField, MobileField
from unionhub.models.regions import Region, UnionOrganization
from unionhub.validators import normalize_mobile, normalize_resident_id, validate_visible_text

_JOINABLE: dict[tuple | None, object] = {}


def joinable_unions(county_codes: list[str] | None = None):
    """The unions a worker may choose, in the given counties (all, if None). The unevaluated queryset is built
    once per set of counties: a form field clones it (``.all()``), so no results are ever shared."""
    key = tuple(county_codes) if county_codes is not None else None
    if key not in _JOINABLE:
        _JOINABLE[key] = _joinable_unions(county_codes)
    return _JOINABLE[key]


def _joinable_unions(county_codes: list[str] | None):
    unions = UnionOrganization.objects.filter(kind__in=JOINABLE_KINDS, is_holding_pool=False)
    if county_codes is not None:
        query = Q(pk__in=[])
        for code in county_codes:
            query |= Q(region__code__startswith=code)
        unions = unions.filter(query)
    return unions.order_by("region_id", "name")


class UnionChoiceField(forms.ModelChoiceField):
    """Unions grouped by county in the <select>, so a long list stays readable on a phone."""

    def __init__(self, *args, county_names: dict[str, str] | None = None, **kwargs):
        self.county_names = county_names or {}
        super().__init__(*args, **kwargs)

    def _grouped(self):
        groups: dict[str, list] = {}
        for union in self.queryset:
            county = self.county_names.get(union.region_id[:6], union.region_id[:6])
            groups.setdefault(county, []).append((union.pk, union.name))
        choices = [("", _("I don't know / none"))]
        if len(groups) == 1:
            return choices + next(iter(groups.values()))
        return choices + list(groups.items())

    def _get_choices(self):
        # Lazy, like ModelChoiceField's own iterator: a POST that validates never renders the list.
        return CallableChoiceIterator(self._grouped)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class JoinForm(forms.Form):
    """The worker's application: only what is needed. Gender and birth date come from the ID number.

    ``counties`` (code -> name) are the counties this system serves; ``fixed_union`` is a union given by a
    union's QR code (then no union is asked); ``county`` is the county of a station's QR code (then the union
    list is that county's and no county is asked)."""

    name = forms.CharField(
        label=_("Full name, as on your ID card"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[validate_visible_text],
    )
    resident_id = forms.CharField(
        label=_("Resident ID number"),
        max_length=30,
        # Text, not a number pad: the check character may be X.
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "text", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("18 characters, as on your ID card."),
    )
    mobile = MobileField()
    employer = forms.CharField(
        label=_("Employer or platform"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Meituan, SF Express; empty if self-employed")}),
    )
    occupation = FixedChoiceField(label=_("Occupation"), choices=[("", "—"), *occupation_groups()])
    county = forms.ChoiceField(label=_("County where you work"), required=False)
    # The queryset is the form's (__init__): none here, so that copying the field for a form clones no query.
    union = UnionChoiceField(label=_("Union you are joining"), queryset=None, required=False)
    consent = forms.BooleanField(label=_("I have read and agree to the personal-information notice."))

    def __init__(self, *args, counties: dict[str, str], fixed_union=None, county: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.counties = counties
        self.fixed_union = fixed_union
        if fixed_union is not None:
            del self.fields["union"], self.fields["county"]
            return
        if county:
            del self.fields["county"]
            self.fields["union"].queryset = joinable_unions([county])
        else:
            self.fields["county"].choices = [("", _("as on my ID card")), *counties.items()]
            self.fields["union"].queryset = joinable_unions(list(counties))
        self.fields["union"].county_names = counties
        self.fields["union"].help_text = _("If you don't know, leave it: the county union will assign one.")

    def clean_resident_id(self) -> str:
        return normalize_resident_id(self.cleaned_data["resident_id"])

    def clean(self):
        data = super().clean()
        if "county" in self.fields and not data.get("union") and not data.get("county"):
            issued = (data.get("resident_id") or "")[:6]
            if issued and issued not in self.counties:
                self.add_error("county", _("Please choose the county where you work."))
        return data


class StatusForm(forms.Form):
    """Reference number and mobile number: both, so that a reference alone reveals nothing."""

    reference = forms.CharField(
        label=_("Reference number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "text", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    mobile = MobileField()

    def clean_reference(self) -> str:
        reference = reference_normalize(self.cleaned_data["reference"])
        if len(reference) != REFERENCE_LENGTH:
            raise ValidationError(_("A reference number has %(n)s letters and digits."), params={"n": REFERENCE_LENGTH})
        return reference


# --- Admin -------------------------------------------------------------------------------------------------


class VisibleNameMixin:
    """A member's name refuses invisible and direction-changing characters, as on the join form."""

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        validate_visible_text(name)
        return name


class MemberAddForm(VisibleNameMixin, forms.ModelForm):
    """A member entered by staff. The card number is assigned on save."""

    class Meta:
        model = Member
        fields = ["name", "resident_id", "mobile", "union", "employer", "occupation", "join_date", "status"]


class MemberChangeForm(VisibleNameMixin, forms.ModelForm):
    """The full ID and mobile numbers are never put in the page; to correct one, type the new value."""

    new_resident_id = forms.CharField(
        label=_("Correct the ID number"), max_length=30, required=False, help_text=_("Leave empty to keep it.")
    )
    new_mobile = forms.CharField(
        label=_("New mobile number"), max_length=20, required=False, help_text=_("Leave empty to keep it.")
    )

    class Meta:
        model = Member
        fields = ["name", "union", "employer", "occupation", "join_date", "status"]

    def clean_new_resident_id(self) -> str:
        value = self.cleaned_data["new_resident_id"]
        return normalize_resident_id(value) if value.strip() else ""

    def clean_new_mobile(self) -> str:
        value = self.cleaned_data["new_mobile"]
        return normalize_mobile(value) if value.strip() else ""

    def _post_clean(self):
        if self.cleaned_data.get("new_resident_id"):
            self.instance.resident_id = self.cleaned_data["new_resident_id"]
        if self.cleaned_data.get("new_mobile"):
            self.instance.mobile = self.cleaned_data["new_mobile"]
        super()._post_clean()


class ApplicationReviewForm(forms.ModelForm):
    """What a reviewer may set before deciding: the union (else the holding pool) and, to reject, a reason."""

    class Meta:
        model = MembershipApplication
        fields = ["union", "rejection_reason"]
        widgets = {"rejection_reason": forms.Textarea(attrs={"rows": 2})}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("The worker reads this."),
    )


class TransferForm(forms.Form):
    to_union = forms.ModelChoiceField(label=_("To union"), queryset=UnionOrganization.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_union"].queryset = unions


def county_names(codes: list[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).order_by("code").values_list("code", "name"))
