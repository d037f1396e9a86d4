"""Admin for star levels (adjust, revoke), plaques (授牌 / 摘牌) and the workers' ratings of stations. Thin over
``stations.services``."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stations import services
from stations.admin.ratings import StarsFieldFilter
from stations.models import (
    PlaqueEvent,
    StarRating,
    StationRating,
)
from stations.models.ratings import PlaqueAction, stars_label
from unionhub.admin.base import ScopedModelAdmin

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


class ScoreFilter(admin.SimpleListFilter):
    """The five scores as fixed choices (Django's filter for a plain integer reads every rating's distinct
    score on each page)."""

    title = _("rating")
    parameter_name = "score"

    def lookups(self, request, model_admin):
        return [(str(n), str(n)) for n in range(5, 0, -1)]

    def queryset(self, request, queryset):
        return queryset.filter(score=int(self.value())) if self.value() in {"1", "2", "3", "4", "5"} else queryset


@admin.register(StationRating)
class StationRatingAdmin(ScopedModelAdmin):
    list_display = ["station", "month", "score", "comment", "mobile_masked", "created_at"]
    list_filter = [ScoreFilter, "month"]
    ordering = ["-pk"]  # newest first, as the model's -created_at, through the primary key (no sort of them all)
    search_fields = ["station__name", "comment"]
    list_select_related = ["station"]
    readonly_fields = ["station", "month", "score", "comment", "mobile_masked", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
