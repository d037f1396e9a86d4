"""The request list's filters: escalations, whose, the time limit."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.filtersets import (
    DUE_CHOICES,
    ESCALATION_CHOICES,
    MINE_CHOICES,
    requests_due,
    requests_escalated,
    requests_whose,
)


class EscalationFilter(admin.SimpleListFilter):
    """Not escalated, escalated once, twice, three times or more: fixed choices (Django's filter for a plain
    integer reads every request's distinct level on each page)."""

    title = _("escalations")
    parameter_name = "escalation_level"

    def lookups(self, request, model_admin):
        return ESCALATION_CHOICES

    def queryset(self, request, queryset):
        return requests_escalated(queryset, self.value())


class MineFilter(admin.SimpleListFilter):
    title = pgettext_lazy("request handler", "whose")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return MINE_CHOICES

    def queryset(self, request, queryset):
        return requests_whose(queryset, self.value(), request.user)


class DueFilter(admin.SimpleListFilter):
    title = _("time limit")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return DUE_CHOICES

    def queryset(self, request, queryset):
        return requests_due(queryset, self.value())
