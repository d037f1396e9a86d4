"""The worker's forms: file a request, look it up, rate it, ask to reopen it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.choices import GOOD_POINTS, RequestCategory
from unionhub.validators import normalize_mobile

GOOD_LABELS = {
    "fast": _("quick"),
    "attitude": _("friendly and patient"),
    "result": _("my problem was solved"),
    "explained": _("the law was explained clearly"),
}


RATING_WORDS = {
    5: _("very satisfied"),
    4: _("satisfied"),
    3: _("so-so"),
    2: _("not satisfied"),
    1: _("not at all satisfied"),
}


# Codes with letters in them (a credit code, a reference): a text keyboard in capitals, no autocorrect.
CODE_ATTRS = {"autocomplete": "off", "inputmode": "text", "autocapitalize": "characters", "spellcheck": "false"}


class MobileInput(forms.CharField):
    """A mainland mobile number typed on a phone keyboard, normalised (+86, spaces, dashes)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        return normalize_mobile(super().clean(value))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to three photos or PDFs, as the list of uploads; the view has them checked by content
    (``casework.services.attachments``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf", "multiple": True})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        return [super(AttachmentsField, self).clean(f, initial) for f in files]


class FileRequestForm(forms.Form):
    """What the worker tells us. The employer is matched to its grassroots union when possible."""

    category = forms.ChoiceField(label=_("What is it about?"), choices=[("", "—"), *RequestCategory.choices])
    employer_name = forms.CharField(
        label=_("Employer or platform"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("the company's full name, as on your contract or pay slip")}),
    )
    employer_credit_code = forms.CharField(
        label=_("Employer's unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("18 characters, on the business licence; helps us find the company's union."),
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )
    description = forms.CharField(label=_("What happened?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    wanted = forms.CharField(label=_("What would you like?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = AttachmentsField(
        label=_("Photos or PDF files"),
        help_text=_("Up to %(n)s files, each at most %(mb)s MB: contract, pay slips, chat records.")
        % {"n": settings.CASEWORK_MAX_ATTACHMENTS, "mb": settings.CASEWORK_MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    mobile = MobileInput(help_text=_("With the reference number, this is how you follow your request."))
    county = forms.ChoiceField(label=_("County where you work"), required=False)
    confidential = forms.BooleanField(
        label=_("Keep it from my employer's union"),
        required=False,
        help_text=_("Your request then goes to the county federation's desk, not to your company's union."),
    )
    consent = forms.BooleanField(
        label=_("I agree that the union uses these details to handle my request."),
        error_messages={"required": _("Please agree to the personal-information notice to continue.")},
    )

    def __init__(self, *args, counties: dict[str, str] | None = None, fixed_place: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_place:
            del self.fields["county"]
        else:
            self.fields["county"].choices = [("", "—"), *(counties or {}).items()]
            self.fields["county"].required = True


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=pgettext_lazy("request", "Reference number"), max_length=20, widget=forms.TextInput(attrs=CODE_ATTRS)
    )
    mobile = MobileInput()

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class FindForm(forms.Form):
    """A lost reference: the mobile number the request was filed with."""

    mobile = MobileInput(help_text=_("We send the references of the requests filed with this number to it."))


class AttachForm(forms.Form):
    attachments = AttachmentsField(label=_("Add photos or PDF files"))


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was it handled?"),
        coerce=int,
        choices=[(n, format_lazy("{} {}", "★" * n + "☆" * (5 - n), RATING_WORDS[n])) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    good = forms.MultipleChoiceField(
        label=_("What was good?"),
        required=False,
        choices=[(key, GOOD_LABELS[key]) for key in GOOD_POINTS],
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("Anything else?"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still not resolved?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Please say what is still not resolved."))
        return reason
