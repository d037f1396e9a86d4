"""Admin for evaluations, and the station list's rating filters (schemes are in ``schemes``, star levels,
plaques and workers' ratings in ``stars``, subsidies in ``subsidies``). Thin over ``stations.services``: forms
check through the service (``dry_run``), saves and buttons call it and report with ``message_user``."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stations import services
from stations.admin.rating_display import (
    evaluation_thresholds,
)
from stations.filtersets import (
    PROGRESS_CHOICES,
    RATING_FLAG_CHOICES,
    evaluations_by_progress,
    rows_by_stars,
    star_choices,
    stations_by_rating_flag,
    stations_by_star_level,
)
from stations.models import (
    Evaluation,
    IndicatorScore,
)
from stations.models.ratings import EvaluationStatus, stars_label
from stations.selectors.lists import evaluations_reached
from unionhub.admin.base import ScopedInlineMixin, ScopedModelAdmin
from unionhub.admin.views import AdminView

APPROVE_EVALUATION = ("stations.view_evaluation", "stations.approve_evaluation")


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _badge(css: str, text) -> str:
    return format_html('<span class="uh-badge {}">{}</span>', css, text)


# --- list filters for the Station changelist (appended to StationAdmin.list_filter) --------------------------


class StarLevelFilter(admin.SimpleListFilter):
    """A station's star level in force today, five stars first, then "no star level" (``StationListFilterSet``'s
    ``stars``)."""

    title = _("star level")
    parameter_name = "stars"

    def lookups(self, request, model_admin):
        return star_choices()

    def queryset(self, request, queryset):
        return stations_by_star_level(queryset, self.value())


class StarsFieldFilter(StarLevelFilter):
    """The ``stars`` field of an evaluation or a star-level record, shown as stars rather than 0-5."""

    title = _("stars")

    def queryset(self, request, queryset):
        return rows_by_stars(queryset, self.value())


class EvaluationProgressFilter(admin.SimpleListFilter):
    """Evaluations an inspector is still working on (``EvaluationFilterSet``'s ``progress``)."""

    title = _("progress")
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        return PROGRESS_CHOICES

    def queryset(self, request, queryset):
        return evaluations_by_progress(queryset, self.value())


class RatingFlagFilter(admin.SimpleListFilter):
    title = _("star rating")
    parameter_name = "rating_flag"

    def lookups(self, request, model_admin):
        return RATING_FLAG_CHOICES

    def queryset(self, request, queryset):
        return stations_by_rating_flag(queryset, self.value())


# --- evaluations ---------------------------------------------------------------------------------------------


class IndicatorScoreInline(ScopedInlineMixin, admin.TabularInline):
    model = IndicatorScore
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["indicator_group", "indicator_name", "max_points", "suggested", "basis", "score", "override_reason"]
    readonly_fields = ["indicator_group", "indicator_name", "max_points", "suggested", "basis"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    @admin.display(description=_("group"))
    def indicator_group(self, obj):
        return obj.indicator.group

    @admin.display(description=_("indicator"))
    def indicator_name(self, obj):
        return format_html('<span title="{}">{}</span>', obj.indicator.guidance, obj.indicator.name)

    @admin.display(description=_("maximum points"))
    def max_points(self, obj):
        return obj.indicator.max_points

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is not None and obj.is_editable and super().has_change_permission(request, obj)


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["station", "date", "inspectors", "note"]

    def clean(self):
        cleaned = super().clean()
        station = cleaned.get("station")
        if station is not None and self.instance.pk is None:
            try:
                services.evaluation_start(station=station, inspectors="", dry_run=True)
            except ValidationError as exc:
                self.add_error("station", exc)
            self.instance.scheme = services.scheme_for_station(station)
        return cleaned


@admin.register(Evaluation)
class EvaluationAdmin(ScopedModelAdmin):
    scoped_base = staticmethod(evaluations_reached)  # the list selector's scope; filters: EvaluationFilterSet's
    form = EvaluationForm
    change_form_template = "admin/stations/evaluation/change_form.html"
    list_display = ["station", "date", "scheme", "status_badge", "total", "stars_display", "inspectors"]
    list_filter = ["status", EvaluationProgressFilter, StarsFieldFilter, "station__kind"]
    search_fields = ["station__name", "station__code", "inspectors"]
    list_select_related = ["station", "scheme"]
    autocomplete_fields = ["station"]
    date_hierarchy = "date"
    inlines = [IndicatorScoreInline]
    actions = ["approve_selected"]

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        css = {
            EvaluationStatus.APPROVED: "uh-ok",
            EvaluationStatus.SUBMITTED: "uh-warn",
            EvaluationStatus.RETURNED: "uh-bad",
        }.get(obj.status, "")
        return _badge(css, obj.get_status_display())

    @admin.display(description=_("stars"), ordering="stars")
    def stars_display(self, obj):
        return stars_label(obj.stars) if obj.stars is not None else ""

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["station", "date", "inspectors", "note"]
        return ["station", "scheme", "date", "inspectors", "note", "status", "total", "stars_display", "decision_note"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["station", "scheme", "status", "total", "stars_display", "decision_note"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == EvaluationStatus.APPROVED:
            return False
        return super().has_delete_permission(request, obj)

    def can_approve(self, request) -> bool:
        return request.user.has_perm("stations.approve_evaluation")

    def save_model(self, request, obj, form, change):
        if change:
            obj.full_clean()
            obj.save()
            return
        started = services.evaluation_start(
            station=obj.station, inspectors=obj.inspectors, user=request.user, date=obj.date, note=obj.note
        )
        obj.pk, obj.scheme = started.pk, started.scheme

    def response_add(self, request, obj, post_url_continue=None):
        # Scores are pre-filled on creation: go straight to them.
        self.message_user(request, _("Scores are pre-filled from the records: confirm or override each one."))
        return HttpResponseRedirect(reverse("admin:stations_evaluation_change", args=[obj.pk]))

    def response_change(self, request, obj):
        if "_submit_evaluation" in request.POST:
            try:
                services.evaluation_submit(evaluation=obj, user=request.user)
                obj.refresh_from_db()
                self.message_user(
                    request,
                    _("Submitted for approval: %(total)s points, %(stars)s.")
                    % {"total": obj.total, "stars": stars_label(obj.stars)},
                )
            except ValidationError as exc:
                self.message_user(request, _errors(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {
            "can_submit": obj is not None and obj.is_editable and self.has_change_permission(request, obj),
            "can_decide": obj is not None and obj.status == EvaluationStatus.SUBMITTED and self.can_approve(request),
            "thresholds_json": evaluation_thresholds(obj),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def get_custom_views(self):
        decide = AdminView("<path:object_id>/decide/", self.decide_view, "decide", APPROVE_EVALUATION, ("POST",))
        return [decide, *super().get_custom_views()]

    def decide_view(self, request, evaluation):
        """Approve or return a submitted evaluation (county staff)."""
        note = request.POST.get("decision_note", "")
        try:
            if "_approve" in request.POST:
                rating = services.evaluation_approve(evaluation=evaluation, user=request.user, note=note)
                self.message_user(
                    request,
                    _("Approved: %(station)s holds %(stars)s until %(until)s.")
                    % {"station": evaluation.station, "stars": stars_label(rating.stars), "until": rating.valid_until},
                    messages.SUCCESS,
                )
            else:
                services.evaluation_return(evaluation=evaluation, user=request.user, note=note)
                self.message_user(request, _("Returned to the inspector."), messages.WARNING)
        except ValidationError as exc:
            self.message_user(request, _errors(exc), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:stations_evaluation_change", args=[evaluation.pk]))

    @admin.action(description=_("Approve the selected evaluations"), permissions=["approve"])
    def approve_selected(self, request, queryset):
        done = 0
        for evaluation in queryset.filter(status=EvaluationStatus.SUBMITTED):
            try:
                services.evaluation_approve(evaluation=evaluation, user=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{evaluation}: {_errors(exc)}", messages.ERROR)
        self.message_user(request, _("%(n)s evaluations approved.") % {"n": done})

    def has_approve_permission(self, request):
        return self.can_approve(request)
