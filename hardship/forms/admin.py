"""Forms of hardship's admin pages: the input's shape only (the admin applies the services' rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hardship.models import LeaveReason, PaymentStatus

STEP_CHOICES = [
    ("visit", _("record the home visit")),
    ("review_pass", _("democratic review passed")),
    ("review_fail", _("democratic review not passed")),
    ("notice", _("start the public notice")),
    ("approve", _("county approval: put on file")),
    ("reject", _("turn the application down")),
    ("leave", _("take off the register")),
]


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("step"), choices=STEP_CHOICES)
    record = forms.CharField(label=_("record"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    days = forms.IntegerField(label=_("public notice days"), required=False, min_value=1, max_value=60)
    leave_reason = forms.ChoiceField(
        label=_("reason for leaving"), choices=[("", "---------"), *LeaveReason.choices], required=False
    )


class MarkForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        choices=[
            (PaymentStatus.PAID, _("paid")),
            (PaymentStatus.FAILED, _("payment failed")),
            (PaymentStatus.RETURNED, _("returned")),
        ],
    )
    reason = forms.CharField(label=_("reason"), required=False, max_length=200)
    receipt_signed_by = forms.CharField(label=_("receipt signed by"), required=False, max_length=50)


class FiguresForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
