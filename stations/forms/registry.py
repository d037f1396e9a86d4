"""Admin forms for stations: the 六有 checklist as checkboxes, a lifecycle step, and opening hours checks."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stations.choices import STATUS_TRANSITIONS, LiuYou, StationStatus
from stations.models import Station
from stations.services.registry import opening_hours_check, operating_facilities_problem, status_change_problems

# The form's field for each part of a lifecycle step the service checks.
STATUS_FIELDS = {"to_status": "new_status", "reason": "status_reason", "date": "status_date"}


class StationForm(forms.ModelForm):
    liuyou = forms.MultipleChoiceField(
        label=_("六有 checklist"),
        choices=LiuYou.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For labour-relations service stations."),
    )
    new_status = forms.ChoiceField(label=_("change status to"), required=False)
    status_reason = forms.CharField(label=_("reason for the change"), max_length=200, required=False)
    status_date = forms.DateField(
        label=_("date of the change"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Station
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets decide which fields are shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status if self.instance.pk else StationStatus.PLANNED
        allowed = STATUS_TRANSITIONS[StationStatus(current)]
        if "new_status" in self.fields:
            self.fields["new_status"].choices = [("", "—")] + [
                (value, label) for value, label in StationStatus.choices if value in allowed
            ]

    def clean(self):
        cleaned = super().clean()
        new_status = cleaned.get("new_status")
        if new_status:
            current = self.instance.status if self.instance.pk else StationStatus.PLANNED
            problems = status_change_problems(
                from_status=current,
                to_status=new_status,
                reason=cleaned.get("status_reason"),
                date=cleaned.get("status_date"),
            )
            for problem, message in problems.items():
                self.add_error(STATUS_FIELDS[problem], message)
        facilities = cleaned.get("facilities")
        becoming_operating = new_status == StationStatus.OPERATING or (
            self.instance.status == StationStatus.OPERATING and not new_status
        )
        if facilities is not None and becoming_operating:
            problem = operating_facilities_problem(
                kind=cleaned.get("kind") or self.instance.kind, facility_ids=[f.pk for f in facilities]
            )
            if problem:
                self.add_error("facilities", problem)
        return cleaned


class ManagerStationForm(StationForm):
    """What a station manager gets: the lifecycle step and the 六有 checklist are not theirs to set. Declared
    form fields survive ModelAdmin.readonly_fields, so they are removed here, not only hidden."""

    PRIVILEGED = ("new_status", "status_reason", "status_date", "liuyou")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PRIVILEGED:
            self.fields.pop(name, None)


class OpeningHoursFormSet(forms.BaseInlineFormSet):
    """Refuses periods that overlap on the same weekday."""

    def clean(self):
        super().clean()
        periods = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE") or not form.cleaned_data:
                continue
            data = form.cleaned_data
            if data.get("weekday") is not None and data.get("opens") and data.get("closes"):
                periods.append((data["weekday"], data["opens"], data["closes"]))
        problems = opening_hours_check(periods)
        if problems:
            raise ValidationError(problems)
