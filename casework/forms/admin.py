"""The admin's action form for a request: every change to a request is one of the handling actions."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.choices import Department, RequestCategory, RequestChannel, RequestOutcome
from casework.models import WorkerRequest
from stations.models import Station
from unionhub.forms import MobileField

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
    resolve_outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[("", "—")] + [(c.value, c.label) for c in RequestOutcome if c not in (RequestOutcome.REFERRED,)],
        required=False,
        help_text=_("How the request ended for the worker (when resolving)."),
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
        if action == "resolve" and not data.get("resolve_outcome"):
            self.add_error("resolve_outcome", _("Choose how the request ended."))
        if action == "refer" and not data.get("department"):
            self.add_error("department", _("Choose the department."))
        if action and self.instance.pk and not self.instance.is_open:
            raise ValidationError(_("This request is no longer open."))
        return data


class IntakeForm(forms.ModelForm):
    """A request staff register for a worker who called 12351, came in or wrote: the worker's details, how it
    came in, and the worker's consent as they gave it. The admin applies the filing service's rules."""

    channel = forms.ChoiceField(
        label=_("received by"), choices=[(value, label) for value, label in RequestChannel.choices if value != "online"]
    )
    category = forms.ChoiceField(label=_("category"), choices=[("", "—"), *RequestCategory.choices])
    employer_name = forms.CharField(label=_("employer or platform"), max_length=100)
    employer_credit_code = forms.CharField(
        label=_("employer's unified social credit code"), max_length=18, required=False
    )
    description = forms.CharField(label=_("what happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    wanted = forms.CharField(
        label=_("what the worker asks for"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    name = forms.CharField(label=_("name"), max_length=50, required=False)
    mobile = MobileField(label=_("mobile number"))
    county = forms.ChoiceField(label=_("county"), required=False)
    station = forms.ModelChoiceField(label=_("filed at station"), queryset=Station.objects.none(), required=False)
    confidential = forms.BooleanField(
        label=_("confidential: not to the employer's own union"),
        required=False,
        help_text=_("The worker does not want their employer's union to know; a federation desk handles it."),
    )
    consent = forms.BooleanField(
        label=_("the worker agreed that the union uses these details to handle the request"),
        error_messages={"required": _("Ask the worker for their consent first.")},
    )

    class Meta:
        model = WorkerRequest
        fields: list[str] = []

    def _post_clean(self):
        """No model validation of an empty instance: the filing service builds and validates the request."""

    def clean(self):
        data = super().clean()
        if not data.get("county") and not data.get("station"):
            self.add_error("county", _("Choose the county, or the station where the worker came in."))
        return data


class PersonChoiceField(forms.ModelChoiceField):
    """People by name and the union they serve (``casework.selectors.reach.person_label``), never by login."""

    def __init__(self, *args, label_of=str, **kwargs):
        self.label_of = label_of
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        return self.label_of(obj)
