"""Admin forms for stations: the 六有 checklist as checkboxes, a lifecycle step, opening hours. The shape of
the input only: the rules (a step allowed, the basic facilities, overlapping hours) are the services', which
the admin applies (``stations.admin.station_forms``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.choices import STATUS_TRANSITIONS, LiuYou, StationStatus
from stations.models import Station


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


class ManagerStationForm(StationForm):
    """What a station manager gets: the lifecycle step and the 六有 checklist are not theirs to set. Declared
    form fields survive ModelAdmin.readonly_fields, so they are removed here, not only hidden."""

    PRIVILEGED = ("new_status", "status_reason", "status_date", "liuyou")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PRIVILEGED:
            self.fields.pop(name, None)


class OpeningHoursFormSet(forms.BaseInlineFormSet):
    """The periods entered, as (weekday, opens, closes); the admin refuses overlapping ones."""

    def periods(self) -> list:
        periods = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE") or not form.cleaned_data:
                continue
            data = form.cleaned_data
            if data.get("weekday") is not None and data.get("opens") and data.get("closes"):
                periods.append((data["weekday"], data["opens"], data["closes"]))
        return periods
