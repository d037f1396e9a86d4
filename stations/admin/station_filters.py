"""List filters of the station changelist: rectification notices and inactivity (the star-level filters live
with the ratings admin)."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from stations import selectors
from stations.models import Rectification


class OverdueRectificationFilter(admin.SimpleListFilter):
    title = _("rectification")
    parameter_name = "rectification"

    def lookups(self, request, model_admin):
        return [("overdue", _("overdue")), ("open", _("open"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return selectors.stations_with_overdue_rectification(queryset)
        if self.value() == "open":
            return queryset.filter(Exists(Rectification.objects.filter(station=OuterRef("pk"), closed_on__isnull=True)))
        return queryset


class InactiveFilter(admin.SimpleListFilter):
    title = _("activity")
    parameter_name = "inactive"

    def lookups(self, request, model_admin):
        from django.conf import settings

        return [("yes", _("no activity for %(months)s months") % {"months": settings.STATION_INACTIVE_MONTHS})]

    def queryset(self, request, queryset):
        return selectors.stations_inactive(queryset) if self.value() == "yes" else queryset
