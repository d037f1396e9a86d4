"""Programmes, cycles and entitlements in the admin: computing a cycle (a job), approving it against the
fund, the payment list, marking payments and re-issuing."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hardship.admin.households import errors_beside_fields
from hardship.forms import MarkForm
from hardship.forms.payments import ResultsUploadForm
from hardship.models import (
    CostClaim,
    Cycle,
    CycleStatus,
    Entitlement,
    ImportStatus,
    Layer,
    PaymentImport,
    PaymentStatus,
    Programme,
)
from hardship.selectors.lists import cycles_reached, entitlements_reached
from hardship.selectors.payments import PREVIEW_LINES, payment_import_lines, payment_imports_of
from hardship.services import cycles, funds, payment_results
from unionhub.admin.base import ScopedModelAdmin
from unionhub.admin.views import AdminView
from unionhub.models import Job
from unionhub.money import format_yuan
from unionhub.scoping import reach_of


class ProgrammeForm(forms.ModelForm):
    """The layers a programme serves as ticks with their Chinese names (the model keeps their codes)."""

    layers = forms.MultipleChoiceField(
        label=_("eligible layers"), choices=Layer.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Programme
        fields = "__all__"  # noqa: DJ007 - the admin form of every field; only "layers" is redrawn here

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["layers"] = self.instance.layer_list

    def clean_layers(self) -> str:
        return ",".join(self.cleaned_data["layers"])


@admin.register(Programme)
class ProgrammeAdmin(ScopedModelAdmin):
    form = ProgrammeForm
    list_display = ["name", "county", "rule", "amount", "cap", "per_person", "fund"]
    list_filter = ["rule", "per_person"]
    search_fields = ["name"]
    autocomplete_fields = ["county"]
    filter_horizontal = ["exclusive_with"]

    def get_changeform_initial_data(self, request):
        return {"county": reach_of(request.user).region_code, **super().get_changeform_initial_data(request)}

    def get_fields(self, request, obj=None):
        """Read-only (city and province staff), the layers read as their Chinese names, not their codes."""
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            fields = ["layers_display" if name == "layers" else name for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return (
            [*readonly, "layers_display"]
            if obj is not None and not self.has_change_permission(request, obj)
            else readonly
        )

    @admin.display(description=_("eligible layers"))
    def layers_display(self, obj):
        return "、".join(str(Layer(code).label) for code in obj.layer_list if code in Layer.values)


@admin.register(CostClaim)
class CostClaimAdmin(ScopedModelAdmin):
    list_display = ["household", "programme", "amount", "note"]
    autocomplete_fields = ["household"]
    search_fields = ["household__head_name"]


@admin.register(Cycle)
class CycleAdmin(ScopedModelAdmin):
    scoped_base = staticmethod(cycles_reached)
    list_display = ["__str__", "period_start", "period_end", "status", "entitlement_count", "total_display"]
    list_filter = ["status"]
    search_fields = ["name", "programme__name"]
    list_select_related = ["programme"]
    actions = ["compute_selected", "approve_selected"]

    @admin.display(description=_("total (yuan)"), ordering="total")
    def total_display(self, obj):
        return format_yuan(obj.total)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["programme", "name", "period_start", "period_end"]
        return [
            "programme",
            "name",
            "period_start",
            "period_end",
            "status",
            "entitlement_count",
            "total_display",
            "computed_at",
            "approver",
            "approved_at",
            "links",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    @admin.display(description=_("approved by"))
    def approver(self, obj):
        return obj.approved_by.get_full_name() if obj.approved_by_id else "—"

    @admin.display(description=_("payments"))
    def links(self, obj):
        entitlements = reverse("admin:hardship_entitlement_changelist") + f"?cycle__id__exact={obj.pk}"
        if not obj.is_locked:
            return format_html('<a href="{}">{}</a>', entitlements, gettext("entitlements"))
        export = reverse("admin:hardship_cycle_export", args=[obj.pk])
        results = reverse("admin:hardship_cycle_results", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> · <a class="button" href="{}">{}</a> · <a class="button" href="{}">{}</a>',
            entitlements,
            gettext("entitlements"),
            export,
            gettext("Payment list (XLSX)"),
            results,
            gettext("Import the bank's results"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        made = cycles.cycle_create(
            programme=obj.programme, name=obj.name, period_start=obj.period_start, period_end=obj.period_end
        )
        obj.pk = made.pk

    def has_change_permission(self, request, obj=None):
        return False if obj is not None and obj.is_locked else super().has_change_permission(request, obj)

    @admin.action(description=_("Compute the selected cycles"), permissions=["change"])
    def compute_selected(self, request, queryset):
        for cycle in queryset:
            try:
                cycles.cycle_start(cycle=cycle, user=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{cycle}: {' '.join(exc.messages)}", messages.ERROR)
        self.message_user(request, gettext("The cycles are being computed."))

    @admin.action(description=_("Approve the selected cycles"), permissions=["change"])
    def approve_selected(self, request, queryset):
        for cycle in queryset:
            try:
                cycles.cycle_approve(cycle=cycle, user=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{cycle}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, gettext("%(cycle)s approved.") % {"cycle": cycle})

    def get_custom_views(self):
        return [
            AdminView("<path:object_id>/export/", self.export_view, "export", ("hardship.view_cycle",)),
            AdminView(
                "<path:object_id>/results/",
                self.results_view,
                "results",
                ("hardship.change_entitlement", "hardship.add_paymentimport"),
                ("GET", "POST"),
            ),
            *super().get_custom_views(),
        ]

    def results_view(self, request, cycle):
        """The bank's result file: upload → every row checked (errors with row and column, nothing written) →
        the changes shown → confirmed (recorded now, or by a job for a large file)."""
        here = reverse("admin:hardship_cycle_results", args=[cycle.pk])
        staged_id = request.POST.get("confirm") or request.GET.get("staged")
        staged = None
        if staged_id and str(staged_id).isdigit():
            staged = PaymentImport.objects.filter(cycle=cycle, pk=int(staged_id), status=ImportStatus.STAGED).first()
        if request.method == "POST" and "confirm" in request.POST:
            if staged is None:
                self.message_user(request, gettext("This file is already recorded or being recorded."), messages.ERROR)
                return HttpResponseRedirect(here)
            try:
                done = payment_results.payment_results_confirm(payment_import=staged, user=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return HttpResponseRedirect(here)
            if isinstance(done, Job):
                self.message_user(request, gettext("The file is large: it is being recorded as a job."))
                return HttpResponseRedirect(reverse("admin:unionhub_job_change", args=[done.pk]))
            self.message_user(
                request,
                gettext("Recorded: %(paid)s paid, %(failed)s failed, %(returned)s returned.")
                % {"paid": done.paid, "failed": done.failed, "returned": done.returned},
            )
            return HttpResponseRedirect(
                reverse("admin:hardship_entitlement_changelist") + f"?cycle__id__exact={cycle.pk}"
            )
        form = ResultsUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            made, errors = payment_results.payment_results_stage(
                cycle=cycle, user=request.user, data=upload.read(), filename=upload.name
            )
            if made is not None:
                return HttpResponseRedirect(f"{here}?staged={made.pk}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("The bank's results"),
            "original": cycle,
            "form": form,
            "errors": errors,
            "staged": staged,
            "lines": payment_import_lines(staged) if staged else [],
            "more": max(0, staged.changes - PREVIEW_LINES) if staged else 0,
            "imports": payment_imports_of(cycle),
        }
        return TemplateResponse(request, "hardship/admin/results.html", context)

    def export_view(self, request, cycle):
        try:
            content = funds.payment_list(cycle=cycle, user=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:hardship_cycle_change", args=[cycle.pk]))
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="payments-{cycle.pk}.xlsx"'
        return response


@admin.register(Entitlement)
class EntitlementAdmin(ScopedModelAdmin):
    scoped_base = staticmethod(entitlements_reached)
    list_display = ["household", "person", "cycle", "layer_display", "amount", "status", "reason", "paid_on"]
    list_filter = ["status"]
    search_fields = ["household__head_name"]
    list_select_related = ["household", "person", "cycle__programme"]
    actions = ["mark_paid", "reissue_selected"]

    @admin.display(description=_("layer"), ordering="layer")
    def layer_display(self, obj):
        return Layer(obj.layer).label if obj.layer in Layer.values else obj.layer

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Mark the selected as paid"), permissions=["change"])
    def mark_paid(self, request, queryset):
        for entitlement in queryset.select_related("cycle__programme"):
            try:
                funds.entitlement_mark(entitlement=entitlement, status=PaymentStatus.PAID, user=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{entitlement}: {' '.join(exc.messages)}", messages.ERROR)

    @admin.action(description=_("Re-issue the selected failed or returned payments"), permissions=["change"])
    def reissue_selected(self, request, queryset):
        for entitlement in queryset:
            try:
                funds.entitlement_reissue(entitlement=entitlement, user=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{entitlement}: {' '.join(exc.messages)}", messages.ERROR)

    def get_custom_views(self):
        return [
            AdminView(
                "<path:object_id>/mark/", self.mark_view, "mark", ("hardship.change_entitlement",), ("GET", "POST")
            ),
            *super().get_custom_views(),
        ]

    def mark_view(self, request, entitlement):
        form = MarkForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                funds.entitlement_mark(
                    entitlement=entitlement,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    signed_by=form.cleaned_data["receipt_signed_by"],
                    user=request.user,
                )
            except ValidationError as exc:
                errors_beside_fields(form, exc)
            else:
                self.message_user(request, gettext("Recorded."))
                return HttpResponseRedirect(reverse("admin:hardship_entitlement_change", args=[entitlement.pk]))
        return TemplateResponse(
            request,
            "hardship/admin/mark.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Record the payment"),
                "form": form,
                "original": entitlement,
            },
        )


__all__ = ["CycleAdmin", "CycleStatus", "EntitlementAdmin", "ProgrammeAdmin"]
