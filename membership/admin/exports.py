"""Background member exports in the admin: started from the member list, listed with their job's progress,
downloaded by the user who asked for them.

The member list's "Export this list in the background" form posts the list's query string (and, through the
session, its private search term) to ``member_export_start_view``, which records the export and starts its job
(``services.exports.member_export_request``) and sends the user to the list of exports. Staff see the exports
made in their area (who exported what is no secret among them); only the requester downloads the file, which
may hold full ID and mobile numbers (``services.exports.member_export_downloadable``)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from membership.models import MemberExport
from membership.services import exports
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedAdminMixin
from unionhub.admin.helpers import BADGE_BAD, BADGE_OK, BADGE_WARN, badge
from unionhub.admin.search import TOKEN_VAR, search_token_query
from unionhub.admin.views import AdminView
from unionhub.http import file_response
from unionhub.models import JobStatus
from unionhub.personal import mask_text
from unionhub.spreadsheets.writing import CONTENT_TYPES


def member_export_start_view(model_admin, request):
    """POST ``query`` (the list's query string) and ``_fmt``; the search term is the token's, from the session."""
    file_format = request.POST.get("_fmt") if request.POST.get("_fmt") in ("xlsx", "csv") else "xlsx"
    query = request.POST.get("query", "")
    try:
        exports.member_export_request(
            user=request.user, query=query, file_format=file_format, search=_token_term(request, query)
        )
    except ValidationError as exc:  # a filter the member list cannot read: nothing is started
        model_admin.message_user(request, " ".join(exc.messages), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:membership_member_changelist"))
    model_admin.message_user(
        request, gettext("The export has started; it appears here when it is ready to download."), messages.SUCCESS
    )
    return HttpResponseRedirect(reverse("admin:membership_memberexport_changelist"))


def _token_term(request, query: str) -> str:
    from urllib.parse import parse_qsl

    token = dict(parse_qsl(query)).get(TOKEN_VAR, "")
    if not token:
        return ""
    request.GET = request.GET.copy()
    request.GET[TOKEN_VAR] = token
    return search_token_query(request)


def masked_term(term: str) -> str:
    """A search term as the list shows it: any ID or mobile number in it masked (the search's normaliser)."""
    return mask_text(term)


@admin.register(MemberExport)
class MemberExportAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """A plain scoped ModelAdmin: exports keep no history of their own (their job is the record of the work,
    the reveal log the record of full numbers)."""

    list_per_page = 50
    list_display = ["created_at", "created_by", "file_format", "filters", "status", "progress", "rows", "download"]
    list_filter = ["file_format", "created_at"]
    list_select_related = ["created_by", "job"]
    fields = ["created_at", "created_by", "filters", "file_format", "revealed", "status", "progress", "rows",
              "download"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("filters"))
    def filters(self, obj):
        parts = [obj.query] if obj.query else []
        if obj.search:
            parts.append(gettext("search: %(term)s") % {"term": masked_term(obj.search)})
        return "; ".join(parts) or "—"

    @admin.display(description=_("status"))
    def status(self, obj):
        if obj.job is None:
            return "—"
        css = {JobStatus.DONE: BADGE_OK, JobStatus.FAILED: BADGE_BAD, JobStatus.RUNNING: BADGE_WARN}
        return badge(obj.job.get_status_display(), css.get(obj.job.status, ""), title=obj.job.error)

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if obj.job is None:
            return "—"
        done, total, _stage = obj.job.progress_now()
        return f"{done:,} / {total:,}" if total else "—"

    @admin.display(description=_("file"))
    def download(self, obj):
        # Shown to everyone who sees the export; the view lets only the requester download.
        if obj.job is None or obj.job.status != JobStatus.DONE or not obj.file:
            return "—"
        url = reverse("admin:membership_memberexport_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    def get_custom_views(self):
        requester = lambda request, export: exports.member_export_downloadable(  # noqa: E731
            export=export, user=request.user
        )
        download = AdminView(
            "<path:object_id>/download/",
            self.download_view,
            "download",
            ("membership.view_memberexport",),
            allow=requester,
        )
        return [download, *super().get_custom_views()]

    def download_view(self, request, export):
        if not export.file:
            raise Http404  # not written yet (or the job failed)
        name = export.file.name.rsplit("/", 1)[-1]
        content_type = CONTENT_TYPES.get(export.file_format, CONTENT_TYPES["csv"])
        return file_response(export.file.open("rb"), name, content_type=content_type)  # streamed from the file
