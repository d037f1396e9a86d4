"""Time limits and the holiday calendar: county staff set their county's own rows; national rows are shared."""

from __future__ import annotations

from django.contrib import admin

from casework.models import CalendarOverride, TimeLimit
from unionhub.admin.base import ScopedModelAdmin


@admin.register(TimeLimit)
class TimeLimitAdmin(ScopedModelAdmin):
    list_display = ["category", "region", "acknowledge_days", "resolve_days"]
    list_filter = ["category"]
    list_select_related = ["region"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ScopedModelAdmin):
    list_display = ["date", "is_workday", "name", "region"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]
    list_select_related = ["region"]
