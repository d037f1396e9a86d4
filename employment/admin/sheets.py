"""Job sheets: print a station's current vacancies (A4 or poster) with the QR code back to the live list; each
print is numbered (第N期, 版) by the service and kept."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from employment.forms.admin import SheetForm
from employment.models import FairEmployer, FairSignup, JobFair, JobSheet
from employment.selectors.figures import fair_results
from employment.selectors.lists import fairs_reached, sheets_reached
from employment.services import fair_validate, sheet_print
from stations.selectors.lists import stations_reached
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedInlineMixin, ScopedModelAdmin
from unionhub.admin.personal import MaskedNumbersMixin
from unionhub.admin.views import AdminView
from unionhub.qr import printable_address_problem, qr_svg


@admin.register(JobSheet)
class JobSheetAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    scoped_base = staticmethod(sheets_reached)
    list_display = ["__str__", "station", "size", "printed_at"]
    list_filter = ["year", "station"]

    def get_custom_views(self):
        return [
            AdminView(
                "new/", self.new_view, "new", ("employment.view_jobsheet", "employment.view_vacancy"), ("GET", "POST")
            ),
            AdminView("<path:object_id>/print/", self.print_view, "print", ("employment.view_jobsheet",)),
            *super().get_custom_views(),
        ]

    def new_view(self, request):
        form = SheetForm(request.POST or None, stations=stations_reached(request.user))
        if request.method == "POST" and form.is_valid():
            sheet = sheet_print(station=form.cleaned_data["station"], user=request.user, size=form.cleaned_data["size"])
            return redirect("admin:employment_jobsheet_print", sheet.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Print a job sheet"),
            "form": form,
        }
        return TemplateResponse(request, "employment/admin/sheet_new.html", context)

    def print_view(self, request, obj):
        url = request.build_absolute_uri(reverse("employment:station", args=[obj.station.code]))
        context = {
            "sheet": obj,
            "station": obj.station,
            "vacancies": obj.vacancies.order_by("-posts", "title"),
            "qr": qr_svg(url),
            "url": url,
            "problem": printable_address_problem(url),
        }
        return TemplateResponse(request, "employment/sheet_print.html", context)


class EmployerInline(ScopedInlineMixin, admin.TabularInline):
    model = FairEmployer
    extra = 1
    fields = ["employer_name", "employer_credit_code", "posts"]


class SignupInline(MaskedNumbersMixin, ScopedInlineMixin, admin.TabularInline):
    model = FairSignup
    extra = 1
    fields = ["name", "mobile", "checked_in", "intention", "hired"]


class JobFairForm(forms.ModelForm):
    class Meta:
        model = JobFair
        fields = ["name", "kind", "region", "station", "held_on", "online", "event"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            fair_validate(fair=self.instance)
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)


@admin.register(JobFair)
class JobFairAdmin(ScopedModelAdmin):
    form = JobFairForm
    scoped_base = staticmethod(fairs_reached)
    list_display = ["name", "kind", "held_on", "online", "region", "station"]
    list_filter = ["kind", "online"]
    search_fields = ["name"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["region", "station", "event"]
    inlines = [EmployerInline, SignupInline]
    readonly_fields = ["results"]
    fields = ["name", "kind", ("region", "station"), ("held_on", "online"), "event", "results"]
    INLINE_ROWS = 200  # a fair of 1,200 employers is entered by import, not row by row on one page

    def get_inlines(self, request, obj):
        if obj is not None and (obj.employers.count() > self.INLINE_ROWS or obj.signups.count() > self.INLINE_ROWS):
            return []
        return self.inlines

    @admin.display(description=_("results"))
    def results(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        figures = fair_results(obj)
        return (
            gettext(
                "%(employers)s employers, %(posts)s posts, %(signups)s signed up, %(checked_in)s came, "
                "%(intentions)s job intentions, %(hires)s hired"
            )
            % figures
        )
