"""Background member exports in the admin: started from the member list, listed with progress, downloaded.

The member list's "Export in the background" link carries the list's query string to ``export_job_view``,
which records the export (``services.exports.member_export_request``) and sends the user to the list of
their exports; the file is downloaded from there by the user who asked for it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from membership.models import ExportStatus, MemberExport
from membership.services import exports
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedModelAdmin


@admin.register(MemberExport)
class MemberExportAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ["created_at", "requested_by", "file_format", "status", "progress", "revealed", "download"]
    list_filter = ["status", "file_format"]
    list_select_related = ["requested_by"]
    fields = ["created_at", "requested_by", "query", "file_format", "revealed", "status", "done", "total", "error",
              "finished_at"]  # fmt: skip

    # Staff see the exports made in their area (who exported what is no secret among them); only the one who
    # asked downloads the file, which may hold full ID and mobile numbers.

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if not obj.total:
            return "—"
        return f"{obj.done:,} / {obj.total:,} ({100 * obj.done // obj.total}%)"

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.status != ExportStatus.DONE or not obj.file:  # the view lets only the requester download
            return "—"
        url = reverse("admin:membership_memberexport_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_view)
        return [path("<int:pk>/download/", download, name="membership_memberexport_download"), *super().get_urls()]

    def download_view(self, request, pk: int):
        exports_here = self.get_queryset(request).filter(pk=pk, status=ExportStatus.DONE)
        if not request.user.is_superuser:
            exports_here = exports_here.filter(requested_by=request.user)
        export = exports_here.first()
        if export is None or not export.file:
            raise Http404
        return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])


def export_job_view(model_admin, request):
    """Start a background export of the member list as filtered (``?_fmt=xlsx|csv`` plus the list's filters)."""
    if request.method != "POST" or not model_admin.has_export_permission(request):
        raise PermissionDenied
    query = request.POST.get("query", "")
    file_format = request.POST.get("_fmt") if request.POST.get("_fmt") in ("xlsx", "csv") else "xlsx"
    exports.member_export_request(user=request.user, query=query, file_format=file_format)
    model_admin.message_user(
        request, gettext("The export has started; it appears here when it is ready to download."), messages.SUCCESS
    )
    return HttpResponseRedirect(reverse("admin:membership_memberexport_changelist"))
