"""Background jobs in the admin: a read-only, scoped list, and the one progress endpoint every page that
starts long work polls (through the ``admin/unionhub/job/_progress.html`` partial)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from unionhub.admin.base import ReadOnlyAdminMixin, ScopedAdminMixin
from unionhub.admin.helpers import BADGE_BAD, BADGE_OK, BADGE_WARN, badge, job_progress_response
from unionhub.admin.views import AdminView
from unionhub.models import Job, JobStatus


@admin.register(Job)
class JobAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Jobs keep no history of their own: the objects they work on do."""

    list_per_page = 50
    list_display = ["kind_display", "status_badge", "progress_text", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "created_at"]  # kinds are internal names ("membership.…"); staff read the label
    search_fields = ["kind", "created_by__username", "error"]
    list_select_related = ["created_by"]
    fields = [
        "kind_display",
        "status",
        "created_by",
        "region",
        "target_display",
        "done",
        "total",
        "stage",
        "result",
        "error",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("job"), ordering="kind")
    def kind_display(self, obj):
        return obj.kind_label

    @admin.display(description=_("works on"))
    def target_display(self, obj):
        return str(obj.target) if obj.target_id and obj.target is not None else "—"

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        css = {JobStatus.DONE: BADGE_OK, JobStatus.FAILED: BADGE_BAD, JobStatus.RUNNING: BADGE_WARN}.get(obj.status, "")
        return badge(obj.get_status_display(), css, title=obj.error)

    @admin.display(description=_("progress"))
    def progress_text(self, obj):
        done, total, stage = obj.progress_now()
        return f"{done} / {total}" if total else (stage or "-")

    def get_custom_views(self):
        return [
            AdminView("<path:object_id>/progress/", self.progress_view, "progress", ("unionhub.view_job",)),
            *super().get_custom_views(),
        ]

    def progress_view(self, request, job):
        return job_progress_response(job)
