"""Member roster imports in the admin: upload, preview, confirm, progress and result, error workbook, template.

A thin interface over ``membership.services.roster``: every page calls a service. The import's change page is its
status page: the job's progress bar while the check or the import runs (always in the background), the
preview with the counts, the errors and the confirm button once checked, the outcome once done. Imports
are records: nobody edits one, and only a superuser may delete one.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from membership import services
from membership.models import ImportMode, ImportStatus, RosterImport, RosterRow, RowAction
from membership.services.roster_rows import COLUMNS, TEMPLATE_HEADERS
from membership.services.roster_transfers import roster_transfer_notes
from unionhub.admin.base import ScopedAdminMixin
from unionhub.admin.helpers import job_progress_response
from unionhub.admin.views import AdminView
from unionhub.http import file_response
from unionhub.personal import REVEAL_PERMISSION, personal_data
from unionhub.spreadsheets.layout import IGNORE

ERRORS_PER_PAGE = 100


class RosterUploadForm(forms.Form):
    """The file only: what to do with rows that have errors is asked once, on the preview, where their number
    is known."""

    file = forms.FileField(
        label=_("Roster file"), help_text=_("XLSX, XLS or CSV (UTF-8 or GBK), in the columns of the template.")
    )


class RosterConfirmForm(forms.Form):
    mode = forms.ChoiceField(choices=ImportMode.choices, widget=forms.RadioSelect)
    left_out = forms.BooleanField(required=False)


def _field_choices() -> list[tuple[str, str]]:
    """What a column can be mapped to: each roster field by its template header, or not imported."""
    return [(field, header) for field, (header, _aliases) in COLUMNS.items()] + [
        (IGNORE, gettext("do not import this column"))
    ]


def _download(content: bytes, filename: str):
    return file_response(content, filename)


@admin.register(RosterImport)
class RosterImportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Scoped like every admin; a plain ModelAdmin rather than ``ScopedModelAdmin`` because imports keep no
    simple-history trail of their own (the members they write do)."""

    list_display = [
        "__str__",
        "created_at",
        "created_by",
        "mode",
        "status",
        "rows",
        "created",
        "updated",
        "unchanged",
        "transfers",
        "errors",
    ]
    list_filter = ["status", "mode", "created_at"]
    search_fields = ["filename", "created_by__username"]
    list_select_related = ["created_by"]
    fields = ["file", "mode"]
    list_per_page = 50

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm("membership.add_member")

    # --- urls --------------------------------------------------------------------------------------------

    def get_custom_views(self):
        view, add = "membership.view_rosterimport", ("membership.add_rosterimport", "membership.add_member")
        uploader = lambda request, roster: request.user.pk == roster.created_by_id  # noqa: E731
        return [
            AdminView("template.xlsx", self.template_view, "template", add),
            AdminView("<path:object_id>/confirm/", self.confirm_view, "confirm", add, ("POST",), allow=uploader),
            AdminView("<path:object_id>/mapping/", self.mapping_view, "mapping", add, ("POST",), allow=uploader),
            AdminView("<path:object_id>/progress/", self.progress_view, "progress", (view,)),
            # The refused rows hold full ID and mobile numbers: only for those who may see them, and logged.
            AdminView("<path:object_id>/errors.xlsx", self.errors_view, "errors", (view, REVEAL_PERMISSION)),
            *super().get_custom_views(),
        ]

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def _in_scope(self, request, object_id) -> RosterImport | None:
        return self.get_object(request, unquote(object_id))

    # --- upload ------------------------------------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RosterUploadForm(request.POST or None, request.FILES or None)
        # A union chosen by the page that links here (outreach's newly founded union): its first roster.
        union = (request.POST.get("union") or request.GET.get("union") or "").strip()[:100]
        if request.method == "POST" and form.is_valid():
            try:
                roster = services.roster_import_create(file=form.cleaned_data["file"], by=request.user, union=union)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                self.log_addition(request, roster, [{"added": {}}])
                services.roster_check_start(roster=roster, user=request.user)
                return HttpResponseRedirect(reverse("admin:membership_rosterimport_change", args=[roster.pk]))
        return TemplateResponse(
            request,
            "admin/membership/rosterimport/upload.html",
            self._context(
                request,
                title=gettext("Import a member roster"),
                form=form,
                max_mb=services.roster_max_bytes() // 2**20,
                columns=TEMPLATE_HEADERS,
                union=union,
            ),
        )

    def template_view(self, request):
        return _download(services.roster_template(user=request.user), "member-roster-template.xlsx")

    # --- status page: progress, preview, result ----------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied  # before looking the import up, as every view: a refusal says nothing
        roster = self._in_scope(request, object_id)
        if roster is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        paginator = Paginator(
            RosterRow.objects.filter(roster=roster, action=RowAction.ERROR).order_by("row_number"), ERRORS_PER_PAGE
        )
        page = paginator.get_page(request.GET.get("page"))
        hidden = set(roster.layout.get("hidden_rows", []))
        problems = [
            (row.row_number, row.name, column, value, message, row.row_number in hidden)
            for row in page.object_list
            for column, message, value in services.row_details(row)
        ]
        previewed = roster.status in (ImportStatus.PREVIEWED, ImportStatus.REFUSED)
        owner = request.user.pk == roster.created_by_id and self.has_add_permission(request)
        may_confirm = owner and roster.status == ImportStatus.PREVIEWED and not roster.unknown_columns
        may_map = (
            owner
            and roster.status in services.CHECKABLE
            and bool(roster.layout.get("columns") or roster.layout.get("head"))
        )
        return TemplateResponse(
            request,
            "admin/membership/rosterimport/status.html",
            self._context(
                request,
                title=gettext("Member roster import %(name)s") % {"name": roster},
                original=roster,
                roster=roster,
                page=page,
                problems=problems,
                transfers=roster_transfer_notes(roster=roster, user=request.user) if roster.transfers else [],
                confirm_form=RosterConfirmForm(initial={"mode": roster.mode}),
                may_confirm=may_confirm,
                may_map=may_map,
                may_import_valid=owner
                and roster.status == ImportStatus.REFUSED
                and bool(roster.created + roster.updated),
                field_choices=_field_choices(),
                skipped=services.roster_skipped(roster=roster) if roster.skipped else [],
                sample=services.roster_sample(roster=roster) if previewed else [],
                changes=services.roster_changes(roster=roster) if previewed and roster.updated else [],
                defaults=services.roster_defaults(roster=roster) if previewed and roster.created else [],
                reupload_url=reverse("admin:membership_rosterimport_add"),
                writes=roster.created + roster.updated,
                Status=ImportStatus,
                Mode=ImportMode,
            ),
        )

    def progress_view(self, request, roster):
        return job_progress_response(roster.job, status=roster.get_status_display(), running=roster.is_running)

    def confirm_view(self, request, roster):
        form = RosterConfirmForm(request.POST)
        url = reverse("admin:membership_rosterimport_change", args=[roster.pk])
        refused = roster.status == ImportStatus.REFUSED
        if not form.is_valid() or roster.status not in (ImportStatus.PREVIEWED, ImportStatus.REFUSED):
            self.message_user(request, gettext("This import cannot be confirmed now."), messages.ERROR)
            return HttpResponseRedirect(url)
        mode = form.cleaned_data["mode"]
        if refused and (mode != ImportMode.VALID_ONLY or not form.cleaned_data["left_out"]):
            self.message_user(
                request,
                gettext("Tick the box to confirm that the %(errors)s rows with errors will be left out.")
                % {"errors": roster.errors},
                messages.ERROR,
            )
            return HttpResponseRedirect(url)
        try:
            services.roster_import_start(roster=roster, by=request.user, mode=mode)
        except ValidationError as exc:
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(url)
        # The import runs as a background job: the page it returns to shows its progress, then its outcome.
        return HttpResponseRedirect(url)

    def mapping_view(self, request, roster):
        """The user's column mapping (and sheet): recorded, and the roster checked again with it. Also
        "check again" for a failed check or import (the same form, unchanged)."""
        mapping = {
            key.removeprefix("column-"): value
            for key, value in request.POST.items()
            if key.startswith("column-") and value
        }
        sheet, header = request.POST.get("sheet", ""), request.POST.get("header_row", "")
        try:
            services.roster_mapping_set(
                roster=roster,
                by=request.user,
                mapping=mapping,
                sheet=int(sheet) if sheet.isdigit() else roster.sheet,
                header_row=int(header) if header.isdigit() else None,
            )
        except ValidationError as exc:
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:membership_rosterimport_change", args=[roster.pk]))

    def errors_view(self, request, roster):
        try:
            content = services.roster_error_workbook(roster=roster)
        except OSError:
            self.message_user(
                request, gettext("The uploaded file is no longer stored; the errors are listed here."), messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:membership_rosterimport_change", args=[roster.pk]))
        personal_data(request).export_logged(
            count=roster.errors,
            label=gettext("errors of %(name)s") % {"name": roster},
            region_id=roster.region_id,
        )
        return _download(content, f"roster-{roster.pk}-errors.xlsx")
