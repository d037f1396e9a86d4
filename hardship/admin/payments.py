"""The bank result files recorded for each cycle, read-only: who uploaded which file and what it changed.
Files are uploaded from their cycle's page (``CycleAdmin.results_view``)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hardship.models import PaymentImport
from unionhub.admin.base import ScopedModelAdmin


@admin.register(PaymentImport)
class PaymentImportAdmin(ScopedModelAdmin):
    list_display = ["cycle", "filename", "status", "rows", "paid", "failed", "returned", "unchanged", "by_name", "at"]
    list_filter = ["status"]
    search_fields = ["filename", "cycle__name"]
    list_select_related = ["cycle__programme", "by"]
    fields = ["cycle", "filename", "status", "rows", "paid", "failed", "returned", "unchanged", "by_name", "at"]
    readonly_fields = fields

    @admin.display(description=_("by"))
    def by_name(self, obj):
        return (obj.by.get_full_name() or "—") if obj.by_id else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
