"""Admin for rating schemes (评星标准) and their indicators: versions, activation. Thin over
``stations.services.schemes``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stations import services
from stations.admin.rating_display import (
    IndicatorForm,
    kinds_text,
    liuyou_text,
    thresholds_text,
)
from stations.admin.ratings import _badge, _errors
from stations.choices import StationKind
from stations.models import (
    Indicator,
    RatingScheme,
)
from stations.models.ratings import SchemeStatus
from unionhub.admin.base import ScopedInlineMixin, ScopedModelAdmin
from unionhub.scoping import reach_of

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
