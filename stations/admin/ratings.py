"""Admin for rating schemes, evaluations, star levels, plaques and workers' ratings (subsidies are in
``admin_subsidies``). Thin over ``stations.services.ratings``: forms check through the service (``dry_run``), saves
and buttons call it and report with ``message_user``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stations import services
from stations.admin.rating_display import (
    IndicatorForm,
    evaluation_thresholds,
    kinds_text,
    liuyou_text,
    thresholds_text,
)
from stations.choices import StationKind
from stations.models import (
    Evaluation,
    Indicator,
    IndicatorScore,
    PlaqueEvent,
    RatingScheme,
    StarRating,
    StationRating,
)
from stations.models.ratings import EvaluationStatus, PlaqueAction, SchemeStatus, stars_label
from stations.selectors import ratings as rating_selectors
from unionhub.admin.base import ScopedInlineMixin, ScopedModelAdmin
from unionhub.admin.views import AdminView
from unionhub.scoping import reach_of

APPROVE_EVALUATION = ("stations.view_evaluation", "stations.approve_evaluation")


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _badge(css: str, text) -> str:
    return format_html('<span class="uh-badge {}">{}</span>', css, text)


# --- list filters for the Station changelist (appended to StationAdmin.list_filter) --------------------------


class StarLevelFilter(admin.SimpleListFilter):
    """A station's star level in force today, five stars first, then "no star level"."""

    title = _("star level")
    parameter_name = "stars"
    STARS = {"0", "1", "2", "3", "4", "5"}

    def lookups(self, request, model_admin):
        return [(str(n), stars_label(n)) for n in range(5, 0, -1)] + [("0", _("no star level"))]

    def queryset(self, request, queryset):
        if self.value() in self.STARS:
            return self.filter_stars(queryset, int(self.value()))
        return queryset

    def filter_stars(self, queryset, stars: int):
        return rating_selectors.stations_with_stars(queryset, stars)


class StarsFieldFilter(StarLevelFilter):
    """The ``stars`` field of an evaluation or a star-level record, shown as stars rather than 0-5."""

    title = _("stars")

    def filter_stars(self, queryset, stars: int):
        return queryset.filter(stars=stars)


class RatingFlagFilter(admin.SimpleListFilter):
    title = _("star rating")
    parameter_name = "rating_flag"

    def lookups(self, request, model_admin):
        return [
            ("expiring", _("star level expiring soon")),
            ("due", _("due for re-evaluation")),
            ("low_satisfaction", _("low satisfaction")),
        ]

    def queryset(self, request, queryset):
        flag = {
            "expiring": rating_selectors.stations_star_expiring,
            "due": rating_selectors.stations_due_for_reevaluation,
            "low_satisfaction": rating_selectors.stations_low_satisfaction,
        }.get(self.value())
        return flag(queryset) if flag else queryset


# --- rating schemes ------------------------------------------------------------------------------------------


class RatingSchemeForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("station kinds"), choices=StationKind.choices, widget=forms.CheckboxSelectMultiple
    )
    thresholds = forms.CharField(
        label=_("minimum total for 1 to 5 stars"), help_text=_("Five ascending totals, e.g. 60, 70, 80, 88, 95.")
    )

    class Meta:
        model = RatingScheme
        fields = ["code", "name", "kinds", "region", "thresholds", "validity_years", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.initial.get("thresholds"), list):
            self.initial["thresholds"] = ", ".join(str(t) for t in self.initial["thresholds"])

    def clean_thresholds(self):
        raw = self.cleaned_data["thresholds"].replace("，", ",")
        try:
            values = [Decimal(part.strip()) for part in raw.split(",") if part.strip()]
        except InvalidOperation:
            raise ValidationError(_("Give five numbers separated by commas.")) from None
        return [int(v) if v == v.to_integral_value() else float(v) for v in values]


class IndicatorInline(ScopedInlineMixin, admin.TabularInline):
    model = Indicator
    form = IndicatorForm
    extra = 0
    fields = ["sort_order", "group", "code", "name", "max_points", "source", "source_param", "guidance"]

    def _editable(self, obj):
        return obj is None or obj.is_editable

    def get_fields(self, request, obj=None):
        if self._editable(obj) and super().has_change_permission(request, obj):
            return self.fields
        # Read-only (a scheme in use): the 六有 item by its label, and no internal codes.
        return ["sort_order", "group", "name", "max_points", "source", "liuyou_item", "guidance"]

    def get_readonly_fields(self, request, obj=None):
        return [] if self.get_fields(request, obj) is self.fields else self.get_fields(request, obj)

    @admin.display(description=_("source detail"))
    def liuyou_item(self, obj):
        return liuyou_text(obj.source_param)

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(RatingScheme)
class RatingSchemeAdmin(ScopedModelAdmin):
    form = RatingSchemeForm
    list_display = ["name", "version", "status_badge", "kinds_display", "region", "thresholds_display"]
    list_filter = ["status", "region"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]
    inlines = [IndicatorInline]
    actions = ["make_new_version", "put_in_use"]

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        css = {SchemeStatus.ACTIVE: "uh-ok", SchemeStatus.DRAFT: "uh-warn"}.get(obj.status, "uh-muted")
        return _badge(css, obj.get_status_display())

    @admin.display(description=_("station kinds"))
    def kinds_display(self, obj):
        return kinds_text(obj.kinds)

    @admin.display(description=_("minimum total for 1 to 5 stars"))
    def thresholds_display(self, obj):
        return format_html('<span class="uh-nowrap">{}</span>', thresholds_text(obj.thresholds))

    def _read_only(self, request, obj) -> bool:
        return obj is not None and not self.has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        if self._read_only(request, obj):
            # Read-only (in use, or a reader): labels, not the stored lists.
            return ["code", "name", "version", "kinds_display", "region", "thresholds_display", "validity_years"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if self._read_only(request, obj):
            return self.get_fields(request, obj) + ["description"]
        return super().get_readonly_fields(request, obj)

    def get_changeform_initial_data(self, request):
        return {"region": reach_of(request.user).region_code, **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        # A scheme in use is never changed in place: its page is read-only; make a new version instead.
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.scheme_save(scheme=obj)

    @admin.action(description=_("Make a new version of the selected schemes"), permissions=["add"])
    def make_new_version(self, request, queryset):
        region = reach_of(request.user).region_code
        for scheme in queryset:
            new = services.scheme_new_version(scheme=scheme, region_code=region if region else scheme.region_id)
            self.message_user(request, _("Draft %(scheme)s made: edit it, then put it in use.") % {"scheme": new})

    @admin.action(description=_("Put the selected drafts in use"), permissions=["change"])
    def put_in_use(self, request, queryset):
        for scheme in queryset:
            try:
                services.scheme_activate(scheme=scheme)
                self.message_user(request, _("%(scheme)s is in use.") % {"scheme": scheme})
            except ValidationError as exc:
                self.message_user(request, f"{scheme}: {_errors(exc)}", messages.ERROR)


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
    form = EvaluationForm
    change_form_template = "admin/stations/evaluation/change_form.html"
    list_display = ["station", "date", "scheme", "status_badge", "total", "stars_display", "inspectors"]
    list_filter = ["status", StarsFieldFilter, "station__kind"]
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


# --- star levels, plaques, workers' ratings -------------------------------------------------------------------


class StarRatingForm(forms.ModelForm):
    """County staff lower or revoke a star level here; a level is raised only by an approved evaluation."""

    class Meta:
        model = StarRating
        fields = ["station", "stars", "valid_from", "reason"]
        labels = {"valid_from": _("in force from")}
        widgets = {"stars": forms.Select(choices=[(n, stars_label(n) if n else _("no star level")) for n in range(6)])}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("station") and cleaned.get("stars") is not None and cleaned.get("valid_from"):
            try:
                services.star_rating_adjust(
                    station=cleaned["station"],
                    stars=cleaned["stars"],
                    reason=cleaned.get("reason") or "",
                    date=cleaned["valid_from"],
                    dry_run=True,
                )
            except ValidationError as exc:
                raise ValidationError(exc.messages) from None
        return cleaned


@admin.register(StarRating)
class StarRatingAdmin(ScopedModelAdmin):
    form = StarRatingForm
    list_display = ["station", "stars_display", "valid_from", "valid_until", "change", "reason", "in_force"]
    list_filter = [StarsFieldFilter, "change", "station__kind"]
    search_fields = ["station__name", "station__code", "reason"]
    list_select_related = ["station"]
    autocomplete_fields = ["station"]
    date_hierarchy = "valid_from"

    @admin.display(description=_("stars"), ordering="stars")
    def stars_display(self, obj):
        return format_html('<span class="uh-stars">{}</span>', stars_label(obj.stars))

    @admin.display(description=_("in force today"), boolean=True)
    def in_force(self, obj):
        current = services.star_in_force(obj.station)
        return current is not None and current.pk == obj.pk

    def get_changeform_initial_data(self, request):
        return {"valid_from": timezone.localdate(), **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.star_rating_adjust(
            station=obj.station, stars=obj.stars, reason=obj.reason, user=request.user, date=obj.valid_from
        )
        obj.pk = saved.pk


class PlaqueEventForm(forms.ModelForm):
    class Meta:
        model = PlaqueEvent
        fields = ["station", "action", "number", "date", "reason", "delist"]

    def clean(self):
        cleaned = super().clean()
        station, action = cleaned.get("station"), cleaned.get("action")
        if station is None or not action or not cleaned.get("date"):
            return cleaned
        try:
            if action == PlaqueAction.AWARDED:
                services.plaque_award(
                    station=station, number=cleaned.get("number") or "", date=cleaned["date"], dry_run=True
                )
            else:
                services.plaque_revoke(
                    station=station, reason=cleaned.get("reason") or "", date=cleaned["date"], dry_run=True
                )
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return cleaned


@admin.register(PlaqueEvent)
class PlaqueEventAdmin(ScopedModelAdmin):
    form = PlaqueEventForm
    list_display = ["station", "action", "number", "date", "reason", "delist"]
    list_filter = ["action"]
    search_fields = ["station__name", "station__code", "number", "reason"]
    list_select_related = ["station"]
    autocomplete_fields = ["station"]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if obj.action == PlaqueAction.AWARDED:
            saved = services.plaque_award(station=obj.station, number=obj.number, date=obj.date, user=request.user)
        else:
            saved = services.plaque_revoke(
                station=obj.station, reason=obj.reason, date=obj.date, delist=obj.delist, user=request.user
            )
        obj.pk = saved.pk


@admin.register(StationRating)
class StationRatingAdmin(ScopedModelAdmin):
    list_display = ["station", "month", "score", "comment", "mobile_masked", "created_at"]
    list_filter = ["score", "month"]
    search_fields = ["station__name", "comment"]
    list_select_related = ["station"]
    readonly_fields = ["station", "month", "score", "comment", "mobile_masked", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
