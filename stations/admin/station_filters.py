"""List filters of the station changelist: rectification notices and inactivity (the star-level filters live
with the ratings admin). Each is a parameter of ``StationListFilterSet`` and narrows through the same function
(``stations.filtersets``), so a list read through the selector means what the changelist shows."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from stations.filtersets import RECTIFICATION_CHOICES, inactive_choices, stations_by_activity, stations_by_rectification


class OverdueRectificationFilter(admin.SimpleListFilter):
    title = _("rectification")
    parameter_name = "rectification"

    def lookups(self, request, model_admin):
        return RECTIFICATION_CHOICES

    def queryset(self, request, queryset):
        return stations_by_rectification(queryset, self.value())


class InactiveFilter(admin.SimpleListFilter):
    title = _("activity")
    parameter_name = "inactive"

    def lookups(self, request, model_admin):
        return inactive_choices()

    def queryset(self, request, queryset):
        return stations_by_activity(queryset, self.value())
