"""The station admin's forms: the registry forms (``stations.forms.registry``) with the services' rules
applied as the form is checked - a lifecycle step allowed (``status_change_problems``), the basic facilities
of an operating station (``operating_facilities_problem``), opening hours that do not overlap
(``opening_hours_check``) - so that each problem shows beside its field before anything is saved."""

from __future__ import annotations

from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError

from stations.choices import StationStatus
from stations.forms.registry import ManagerStationForm, OpeningHoursFormSet, StationForm
from stations.services.registry import opening_hours_check, operating_facilities_problem, status_change_problems

# The form's field for each part of a lifecycle step the service checks.
STATUS_FIELDS = {"to_status": "new_status", "reason": "status_reason", "date": "status_date"}


class StationRulesMixin:
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


class StationAdminForm(StationRulesMixin, StationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status_date" in self.fields:  # one date widget on the page: the admin's, as the plaque date has
            self.fields["status_date"].widget = AdminDateWidget()


class ManagerStationAdminForm(StationRulesMixin, ManagerStationForm):
    pass


class OpeningHoursAdminFormSet(OpeningHoursFormSet):
    """Refuses periods that overlap on the same weekday."""

    def clean(self):
        super().clean()
        problems = opening_hours_check(self.periods())
        if problems:
            raise ValidationError(problems)
