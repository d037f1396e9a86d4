"""The mediation case list's own filters: the 15-day period and the instalments. Each is a parameter of the
case FilterSet and narrows through the same function (``casework.filtersets``)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casework.filtersets import INSTALMENT_CHOICES, PERIOD_CHOICES, cases_instalments, cases_past_period


class PeriodEndFilter(admin.SimpleListFilter):
    title = _("mediation period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return PERIOD_CHOICES

    def queryset(self, request, queryset):
        return cases_past_period(queryset, self.value())  # as MediationCaseFilterSet's ``period``


class InstalmentsFilter(admin.SimpleListFilter):
    title = _("instalments")
    parameter_name = "instalments"

    def lookups(self, request, model_admin):
        return INSTALMENT_CHOICES

    def queryset(self, request, queryset):
        return cases_instalments(queryset, self.value())  # as MediationCaseFilterSet's ``instalments``
