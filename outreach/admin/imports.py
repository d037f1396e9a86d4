"""Employer list imports in the admin: upload, progress, preview with every error by row and column, confirm,
result. A thin interface over ``outreach.services.employer_import``; the check and the write always run as
background jobs. Imports are records: nobody edits one, and only a superuser may delete one."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from membership.models.roster import ImportMode, ImportStatus
from outreach import services
from outreach.forms import EmployerImportConfirmForm, EmployerImportForm
from outreach.models import EmployerImport
from unionhub.admin.base import ScopedAdminMixin
from unionhub.admin.helpers import job_progress_response, person_of
from unionhub.admin.views import AdminView
from unionhub.models.regions import Region, RegionLevel
from unionhub.scoping import scope_queryset

PROBLEMS_PER_PAGE = 100
ADD = ("outreach.add_employerimport", "outreach.add_employer")


@admin.register(EmployerImport)
class EmployerImportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "county", "created_at", "uploader", "status", "rows", "created", "updated",
                    "unchanged", "matched", "errors"]  # fmt: skip
    list_filter = ["status", "created_at"]
    search_fields = ["filename"]
    list_select_related = ["county", "created_by"]
    list_per_page = 50
    uploader = admin.display(description=_("imported by"))(person_of("created_by"))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm("outreach.add_employer")

    def get_custom_views(self):
        uploader = lambda request, batch: request.user.pk == batch.created_by_id  # noqa: E731
        return [
            AdminView("<path:object_id>/confirm/", self.confirm_view, "confirm", ADD, ("POST",), allow=uploader),
            AdminView("<path:object_id>/progress/", self.progress_view, "progress", ("outreach.view_employerimport",)),
            *super().get_custom_views(),
        ]

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        counties = scope_queryset(Region.objects.filter(level=RegionLevel.COUNTY), request.user).order_by("code")
        form = EmployerImportForm(request.POST or None, request.FILES or None, counties=counties)
        if request.method == "POST" and form.is_valid():
            try:
                batch = services.employer_list_create(
                    file=form.cleaned_data["file"], by=request.user, county=form.cleaned_data["county"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.log_addition(request, batch, [{"added": {}}])
                services.employer_list_check_start(batch=batch, user=request.user)
                return HttpResponseRedirect(reverse("admin:outreach_employerimport_change", args=[batch.pk]))
        return TemplateResponse(
            request,
            "outreach/admin/employer_import.html",
            self._context(request, title=gettext("Import the employer list"), form=form),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        batch = self.get_object(request, unquote(object_id))
        if batch is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        page = Paginator(batch.problems or [], PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
        owner = request.user.pk == batch.created_by_id and self.has_add_permission(request)
        return TemplateResponse(
            request,
            "outreach/admin/employer_import_status.html",
            self._context(
                request,
                title=gettext("Employer list import %(name)s") % {"name": batch},
                original=batch,
                batch=batch,
                page=page,
                shown=len(batch.problems or []),
                may_confirm=owner and batch.status == ImportStatus.PREVIEWED,
                confirm_form=EmployerImportConfirmForm(
                    initial={"mode": ImportMode.VALID_ONLY if batch.errors else ImportMode.ALL_OR_NOTHING}
                ),
                reupload_url=reverse("admin:outreach_employerimport_add"),
                employers_url=reverse("admin:outreach_employer_changelist"),
                Status=ImportStatus,
            ),
        )

    def progress_view(self, request, batch):
        return job_progress_response(batch.job, status=batch.get_status_display(), running=batch.is_running)

    def confirm_view(self, request, batch):
        form = EmployerImportConfirmForm(request.POST)
        url = reverse("admin:outreach_employerimport_change", args=[batch.pk])
        if not form.is_valid():
            self.message_user(request, gettext("Choose how to import."), messages.ERROR)
            return HttpResponseRedirect(url)
        try:
            services.employer_list_import_start(batch=batch, by=request.user, mode=form.cleaned_data["mode"])
        except ValidationError as exc:
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
        return HttpResponseRedirect(url)
