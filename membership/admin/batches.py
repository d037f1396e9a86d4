"""Bulk review jobs (a decision on many applications at once, run in the background): read-only, with
progress."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from membership.models import ReviewBatch
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedModelAdmin


@admin.register(ReviewBatch)
class ReviewBatchAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    change_form_template = "admin/membership/reviewbatch/change_form.html"
    list_display = ["__str__", "status_display", "progress_display", "requested_by", "created_at", "finished"]
    list_filter = ["job__status", "action"]
    search_fields = ["requested_by__username", "reason"]
    list_select_related = ["requested_by", "job"]
    fields = ["action", "reason", "total", "decided", "skipped", "flagged", "requested_by", "created_at", "finished"]
    readonly_fields = fields

    @admin.display(description=_("status"), ordering="job__status")
    def status_display(self, obj):
        return obj.get_status_display()

    @admin.display(description=_("finished"), ordering="job__finished_at")
    def finished(self, obj):
        return obj.finished_at or "—"

    @admin.display(description=_("decided"))
    def decided(self, obj):
        return obj.decided

    @admin.display(description=_("skipped"))
    def skipped(self, obj):
        return obj.skipped

    @admin.display(description=_("left pending, and why"))
    def flagged(self, obj):
        if not obj.flagged:
            return "—"
        return format_html_join("", "<div>{}: {}</div>", ((item["reference"], item["reason"]) for item in obj.flagged))

    @admin.display(description=_("progress"))
    def progress_display(self, obj):
        done = obj.progress()
        percent = round(100 * done / obj.total) if obj.total else 100
        return format_html(
            '<progress max="{}" value="{}"></progress> {} / {} ({}%)', obj.total or 1, done, done, obj.total, percent
        )
