from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stations import selectors, services
from stations.admin import day_log
from stations.admin import ratings as admin_ratings
from stations.admin.rating_display import kinds_text
from stations.admin.station_filters import InactiveFilter, OverdueRectificationFilter
from stations.admin.station_forms import ManagerStationAdminForm, OpeningHoursAdminFormSet, StationAdminForm
from stations.admin.station_page import StationPageMixin, can_manage_registry
from stations.choices import StationStatus
from stations.models import (
    Activity,
    ActivityKind,
    CoverageTarget,
    Facility,
    Funding,
    OpeningHours,
    Rectification,
    Service,
    ServiceTeam,
    Station,
    StatusChange,
    VisitorCount,
)
from stations.models.ratings import stars_label
from stations.resources import StationResource
from stations.selectors.lists import activities_reached, stations_reached
from unionhub.admin.base import ScopedImportExportAdmin, ScopedInlineMixin, ScopedModelAdmin
from unionhub.admin.personal import MaskedNumbersMixin
from unionhub.admin.views import AdminView
from unionhub.scoping import reach_of, scope_queryset


class CatalogueAdmin(ScopedModelAdmin):
    list_display = ["name", "region", "sort_order"]  # the code is internal; staff read the name
    search_fields = ["name", "code"]
    list_filter = ["region"]

    def get_changeform_initial_data(self, request):
        # A county's own entries carry the county, which is what keeps them in its scope.
        return {"region": reach_of(request.user).region_code, **super().get_changeform_initial_data(request)}


@admin.register(Facility)
class FacilityAdmin(CatalogueAdmin):
    list_display = [*CatalogueAdmin.list_display, "required_for_display"]

    @admin.display(description=Facility._meta.get_field("required_for").verbose_name)
    def required_for_display(self, obj):
        return kinds_text(obj.required_for)


@admin.register(Service)
class ServiceAdmin(CatalogueAdmin):
    pass


@admin.register(ActivityKind)
class ActivityKindAdmin(CatalogueAdmin):
    pass


class OpeningHoursInline(ScopedInlineMixin, admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursAdminFormSet
    extra = 0


class ServiceTeamInline(ScopedInlineMixin, admin.StackedInline):
    model = ServiceTeam
    extra = 0


class FundingInline(ScopedInlineMixin, admin.TabularInline):
    model = Funding
    extra = 0

    # Money is county business: station managers see the funding but cannot change it.
    def has_change_permission(self, request, obj=None):
        return can_manage_registry(request)

    def has_add_permission(self, request, obj=None):
        return can_manage_registry(request)

    def has_delete_permission(self, request, obj=None):
        return can_manage_registry(request)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["date", "from_status", "to_status", "reason", "changed_by"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("lifecycle")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Station)
class StationAdmin(StationPageMixin, MaskedNumbersMixin, ScopedImportExportAdmin):
    form = StationAdminForm
    scoped_base = staticmethod(stations_reached)  # the list selector's scope; filters: StationListFilterSet's names
    resource_classes = [StationResource]
    # Fits 1366 px: the code under the name, 24 h as a filter; the star level and any open rectification.
    list_display = [
        "name_and_code",
        "kind",
        "region",
        "status_badge",
        "star_level",
        "completeness",
        "rectification_flag",
    ]
    list_filter = [
        "kind",
        "status",
        "region",
        "facilities",
        "open_24h",
        "is_complete",
        OverdueRectificationFilter,
        InactiveFilter,
        admin_ratings.StarLevelFilter,
        admin_ratings.RatingFlagFilter,
    ]
    search_fields = ["code", "name", "address", "host__name"]
    list_select_related = ["region", "host"]
    autocomplete_fields = ["region", "host", "managers"]
    filter_horizontal = ["facilities", "services"]
    inlines = [OpeningHoursInline, ServiceTeamInline, FundingInline, StatusChangeInline]
    readonly_fields = ["status", "status_since", "missing_items", "star_level_now", "liuyou_items"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "region", "host", "operating_model", "managers"]}),
        (_("Location"), {"fields": ["address", "latitude", "longitude", "area_m2"]}),
        (_("Opening and contact"), {"fields": ["open_24h", "phone", "description"]}),
        (_("Facilities and services"), {"fields": ["facilities", "services", "liuyou", "missing_items"]}),
        (_("Payment details"), {"fields": ["payee_name", "payee_bank", "bank_account"]}),
        (
            _("Lifecycle and plaque"),
            {
                "fields": [
                    "status",
                    "status_since",
                    "star_level_now",
                    "new_status",
                    "status_reason",
                    "status_date",
                    "plaque_number",
                    "plaque_date",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        open_notices = Rectification.objects.filter(station=OuterRef("pk"), closed_on__isnull=True)
        return selectors.with_star_level(
            super()
            .get_queryset(request)
            .annotate(
                _overdue=Exists(open_notices.filter(deadline__lt=timezone.localdate())),
                _open_deadline=Subquery(open_notices.order_by("deadline").values("deadline")[:1]),
            )
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not can_manage_registry(request):
            kwargs["form"] = ManagerStationAdminForm
        return super().get_form(request, obj, change=change, **kwargs)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        css = {"operating": "uh-ok", "rectifying": "uh-warn", "delisted": "uh-muted"}.get(obj.status, "")
        return format_html('<span class="uh-badge {}">{}</span>', css, obj.get_status_display())

    @admin.display(description=_("meets the standard"), ordering="is_complete")
    def completeness(self, obj):
        if obj.status in (StationStatus.PLANNED, StationStatus.BUILDING):
            # Not open yet: "meets the standard" would be claimed for a station that does not exist.
            return format_html('<span class="uh-muted">{}</span>', _("not open yet"))
        if obj.is_complete:
            return format_html('<span class="uh-badge uh-ok">{}</span>', _("complete"))
        return format_html(
            '<span class="uh-badge uh-warn" title="{}">{}</span>',
            obj.missing_items,
            _("missing: ") + obj.missing_items[:40],
        )

    @admin.display(description=_("name"), ordering="name")
    def name_and_code(self, obj):
        return format_html('<strong>{}</strong><br><span class="uh-muted">{}</span>', obj.name, obj.code)

    @admin.display(description=_("star level"))
    def star_level(self, obj):
        stars = getattr(obj, "star_stars", None)
        until = getattr(obj, "star_until", None)
        if not stars or (until is not None and until < timezone.localdate()):
            return format_html('<span class="uh-muted">{}</span>', _("not rated"))
        return format_html('<span class="uh-stars" title="{}">{}</span>', until or "", stars_label(stars))

    @admin.display(description=_("star level in force"))
    def star_level_now(self, obj):
        """The star level held today with its validity, read-only: it changes only by an approved evaluation."""
        star = services.star_in_force(obj) if obj and obj.pk else None
        if star is None:
            return format_html('<span class="uh-muted" id="star-level-now">{}</span>', _("no star level in force"))
        valid = _("valid %(start)s to %(end)s") % {"start": star.valid_from, "end": star.valid_until or "—"}
        return format_html(
            '<span id="star-level-now"><span class="uh-stars">{}</span> {} · {}</span>',
            stars_label(star.stars),
            _("%(n)s stars") % {"n": star.stars},
            valid,
        )

    @admin.display(description=_("rectification"), boolean=False)
    def rectification_flag(self, obj):
        """An overdue notice in red; an open one with its deadline; none: an empty cell."""
        deadline = getattr(obj, "_open_deadline", None)
        if getattr(obj, "_overdue", False):
            return format_html('<span class="uh-badge uh-bad">{}</span>', _("overdue"))
        if deadline:
            return format_html('<span class="uh-badge uh-warn">{}</span>', _("open, due %(date)s") % {"date": deadline})
        return ""

    def save_model(self, request, obj, form, change):
        services.station_save(station=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        station = form.instance
        services.station_refresh(station=station)
        new_status = form.cleaned_data.get("new_status")
        if new_status and can_manage_registry(request):
            try:
                services.station_change_status(
                    station=station,
                    to_status=new_status,
                    reason=form.cleaned_data["status_reason"],
                    user=request.user,
                    date=form.cleaned_data.get("status_date"),
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def get_custom_views(self):
        utilisation = AdminView("utilisation/", self.utilisation_view, "utilisation", ("stations.view_station",))
        return [utilisation, *self.lifecycle_views(), *super().get_custom_views()]

    def utilisation_view(self, request):
        """Activities and visitors per station and month for the user's stations, and the inactive ones."""
        stations = self.get_queryset(request).select_related("region").order_by("region_id", "code")
        months = selectors.month_starts(12)
        data = selectors.monthly_utilisation(stations, 12)
        empty = {"activities": 0, "participants": 0, "visitors": 0}
        rows = [{"station": s, "cells": [data.get(s.pk, {}).get(m, empty) for m in months]} for s in stations]
        inactive = set(selectors.stations_inactive(stations).values_list("pk", flat=True))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Station utilisation"),
            "opts": self.opts,
            "months": months,
            "rows": rows,
            "inactive": inactive,
            "inactive_months": selectors.inactive_since().strftime("%Y-%m-%d"),
        }
        return TemplateResponse(request, "admin/stations/utilisation.html", context)


class StationLogAdmin(ScopedModelAdmin):
    """Shared shape of the logs station managers keep."""

    list_select_related = ["station"]
    autocomplete_fields = ["station"]
    date_hierarchy = "date"

    def get_changeform_initial_data(self, request):
        """A manager of a single station gets it filled in, and today's date."""
        initial = {"date": timezone.localdate(), **super().get_changeform_initial_data(request)}
        if not can_manage_registry(request):
            own = list(scope_queryset(Station.objects.all(), request.user).values_list("pk", flat=True)[:2])
            if len(own) == 1:
                initial.setdefault("station", own[0])
        return initial


@admin.register(Activity)
class ActivityAdmin(StationLogAdmin):
    scoped_base = staticmethod(activities_reached)  # the list selector's scope; filters: ActivityFilterSet's names
    list_display = ["date", "title", "station", "kind", "participants", "suggestions"]
    list_filter = ["kind", "station"]
    search_fields = ["title", "notes", "station__name"]
    list_select_related = ["station", "kind"]
    inlines = [day_log.ActivityPhotoInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_custom_views(self):
        day = AdminView(
            "day/",
            lambda request: day_log.day_log_view(self, request),
            "day",
            day_log.DAY_LOG_PERMISSIONS,
            ("GET", "POST"),
        )
        photo = AdminView("photo/<int:pk>/", day_log.photo_download, "photo", (day_log.PHOTO_PERMISSION,))
        return [day, photo, *super().get_custom_views()]


@admin.register(VisitorCount)
class VisitorCountAdmin(StationLogAdmin):
    list_display = ["date", "station", "visitors", "night_visitors"]
    list_filter = ["station"]
    search_fields = ["station__name"]


@admin.register(Rectification)
class RectificationAdmin(ScopedModelAdmin):
    list_display = ["station", "issued_on", "deadline", "state", "closed_on"]
    list_filter = ["station__kind", "closed_on"]
    search_fields = ["station__name", "findings"]
    list_select_related = ["station"]
    autocomplete_fields = ["station"]

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.closed_on:
            return format_html('<span class="uh-badge uh-ok">{}</span>', _("closed"))
        if obj.is_overdue:
            return format_html('<span class="uh-badge uh-bad">{}</span>', _("overdue"))
        return format_html('<span class="uh-badge uh-warn">{}</span>', _("open"))

    def save_model(self, request, obj, form, change):
        if not change:
            saved = services.rectification_issue(
                station=obj.station,
                findings=obj.findings,
                deadline=obj.deadline,
                issued_on=obj.issued_on,
                user=request.user,
            )
            obj.pk = saved.pk
            return
        was_open = Rectification.objects.filter(pk=obj.pk, closed_on__isnull=True).exists()
        if was_open and obj.closed_on:
            try:
                services.rectification_close(notice=obj, outcome=obj.outcome, user=request.user, date=obj.closed_on)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.WARNING)
            return
        super().save_model(request, obj, form, change)


@admin.register(CoverageTarget)
class CoverageTargetAdmin(ScopedModelAdmin):
    list_display = ["region", "year", "kind", "target", "note"]
    list_filter = ["year", "kind"]
    search_fields = ["region__name", "note"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


# Star ratings, plaques and subsidies register their admins in their own module (imported above).
