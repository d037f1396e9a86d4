"""Time limits and the holiday calendar: county staff set their county's own rows; national rows are shared.
Next year's holidays are loaded from a spreadsheet (``casework.services.calendar``): province and city staff
load the national calendar for everyone below them, a county its own local days; the list says which years the
clock knows."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from casework.models import CalendarOverride, CalendarYear, TimeLimit
from casework.models.calendar import CALENDAR_CODE_LENGTHS, CALENDAR_LEVELS
from casework.selectors.clock import PACKAGE_YEARS
from casework.services.calendar import calendar_import
from unionhub.admin.base import ScopedModelAdmin
from unionhub.admin.views import AdminView
from unionhub.models import Region
from unionhub.scoping import reach_of
from unionhub.spreadsheets import MAX_UPLOAD_BYTES


@admin.register(TimeLimit)
class TimeLimitAdmin(ScopedModelAdmin):
    list_display = ["category", "region", "acknowledge_days", "resolve_days"]
    list_filter = ["category"]
    list_select_related = ["region"]


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label=_("Calendar file (XLSX or CSV)"),
        help_text=_("One row a day with the columns 日期, 类型 (休息日 or 调休上班日) and 名称."),
    )
    county = forms.ModelChoiceField(
        label=_("region"),
        queryset=Region.objects.filter(level__in=CALENDAR_LEVELS).order_by("code"),
        required=False,
        empty_label=_("— every county (national calendar) —"),
        help_text=_("A province or a city: the year's calendar for every county below it. A county: its own days."),
    )

    def __init__(self, *args, fixed_county: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_county is not None:
            del self.fields["county"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is too large for a calendar."))
        return upload


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ScopedModelAdmin):
    list_display = ["date", "is_workday", "name", "region"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]
    list_select_related = ["region"]
    change_list_template = "casework/admin/calendar_change_list.html"

    def get_custom_views(self):
        return [
            AdminView("import/", self.import_view, "import", ("casework.add_calendaroverride",), ("GET", "POST")),
            *super().get_custom_views(),
        ]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "calendar_years": self._known_years(request)})

    def _known_years(self, request) -> list[dict]:
        """The years the clock knows for the user: the package's, and those loaded nationally or for the user's
        region or a region above it."""
        code = reach_of(request.user).region_code or ""
        loaded = CalendarYear.objects.select_related("region").filter(
            region_id__in=[code[:n] for n in CALENDAR_CODE_LENGTHS if len(code) >= n]
        ) | CalendarYear.objects.filter(region__isnull=True)
        years = [
            {
                "year": row.year,
                "where": row.region or _("national"),
                "loaded_at": row.loaded_at,
                "recalculated": row.recalculated,
            }
            for row in loaded.order_by("-year")
        ]
        return [{"year": f"{min(PACKAGE_YEARS)}–{max(PACKAGE_YEARS)}", "where": _("holidays package")}, *years]

    def _import_county(self, request) -> Region | None:
        """The region a user imports for: their own - a province or a city loads the year's calendar for every
        county below it, a county its own local days; a superuser chooses (or imports the national rows)."""
        if request.user.is_superuser:
            return None
        code = reach_of(request.user).region_code or ""
        if len(code) not in CALENDAR_CODE_LENGTHS or not self.has_add_permission(request):
            raise PermissionDenied
        return Region.objects.get(code=code)

    def import_view(self, request):
        county = self._import_county(request)
        form = CalendarImportForm(request.POST or None, request.FILES or None, fixed_county=county)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            region = county if county is not None else form.cleaned_data.get("county")
            try:
                result = calendar_import(data=upload.read(), filename=upload.name, region=region, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                self.message_user(
                    request,
                    _("%(created)s days added and %(updated)s replaced, %(first)s to %(last)s.")
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "first": f"{result.first:%Y-%m-%d}",
                        "last": f"{result.last:%Y-%m-%d}",
                    },
                    messages.SUCCESS,
                )
                if result.recalculated:
                    self.message_user(
                        request,
                        _("The provisional due dates of %(n)s open requests were recalculated.")
                        % {"n": result.recalculated},
                        messages.SUCCESS,
                    )
                return redirect("admin:casework_calendaroverride_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Load a year's holidays and make-up working days"),
            "form": form,
            "county": county,
            "opts": self.opts,
        }
        return TemplateResponse(
            request, "casework/admin/calendar_import.html", context, status=400 if form.errors else 200
        )
