"""The admin's action form for a request: every change to a request is one of the handling actions."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.choices import Department
from casework.models import WorkerRequest
from stations.models import Station

ACTIONS = [
    ("", "—"),
    ("accept", _("accept (受理)")),
    ("assign", _("give to another handler")),
    ("respond", _("reply to the worker")),
    ("forward", _("outside our authority: forward to the higher union (代访代办)")),
    ("refer", _("refer to another department")),
    ("resolve", _("resolve (办结)")),
    ("mediate", _("open mediation at a station's desk (调解)")),
]
NEEDS_MESSAGE = {"respond", "forward", "resolve"}


class RequestActionForm(forms.ModelForm):
    action = forms.ChoiceField(label=_("action"), choices=ACTIONS, required=False)
    handler_choice = forms.ModelChoiceField(
        label=_("new handler"), queryset=get_user_model().objects.none(), required=False
    )
    department = forms.ChoiceField(label=_("department"), choices=[("", "—"), *Department.choices], required=False)
    department_name = forms.CharField(label=_("department's name"), max_length=100, required=False)
    mediation_station = forms.ModelChoiceField(
        label=_("mediation desk"),
        queryset=Station.objects.none(),
        required=False,
        help_text=_("For mediation: the station whose mediation team takes the case."),
    )
    message = forms.CharField(
        label=_("message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A reply or resolution is shown to the worker; a reason for forwarding goes on the timeline."),
    )

    class Meta:
        model = WorkerRequest
        fields: list[str] = []

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in NEEDS_MESSAGE and not (data.get("message") or "").strip():
            self.add_error("message", _("Write the message for this action."))
        if action == "assign" and not data.get("handler_choice"):
            self.add_error("handler_choice", _("Choose the new handler."))
        if action == "mediate" and not data.get("mediation_station"):
            self.add_error("mediation_station", _("Choose the mediation desk."))
        if action == "refer" and not data.get("department"):
            self.add_error("department", _("Choose the department."))
        if action and self.instance.pk and not self.instance.is_open:
            raise ValidationError(_("This request is no longer open."))
        return data
