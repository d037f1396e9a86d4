"""Admin for subsidy policies, runs and allocations. Thin over ``stations.services.subsidies``: forms check through the
service, buttons call it and report with ``message_user``; the payment list is an XLSX export."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export import fields as ie_fields

from stations.admin.ratings import StarsFieldFilter, _badge, _errors
from stations.models import Station, SubsidyAllocation, SubsidyPolicy, SubsidyRate, SubsidyRun
from stations.models.subsidies import RunStatus
from stations.selectors.lists import allocations_reached
from stations.selectors.subsidies import run_totals_by_type
from stations.services import subsidies
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedExportAdmin, ScopedInlineMixin, ScopedModelAdmin
from unionhub.admin.views import AdminView
from unionhub.http import file_response
from unionhub.money import format_yuan
from unionhub.resources import ScopedResource
from unionhub.scoping import reach_of

# --- subsidy policies ----------------------------------------------------------------------------------------


class SubsidyRateFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        rows = [
            (form.cleaned_data["kind"], form.cleaned_data["stars"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("kind")
        ]
        problems = subsidies.rates_check(rows)
        if problems:
            raise ValidationError(problems)


class SubsidyRateInline(ScopedInlineMixin, admin.TabularInline):
    model = SubsidyRate
    formset = SubsidyRateFormSet
    extra = 0


@admin.register(SubsidyPolicy)
class SubsidyPolicyAdmin(ScopedModelAdmin):
    list_display = ["name", "region", "starts_on", "ends_on", "period_months", "min_activities", "budget_cap"]
    list_filter = ["region", "period_months"]
    search_fields = ["name", "note"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [SubsidyRateInline]

    def get_changeform_initial_data(self, request):
        return {"region": reach_of(request.user).region_code, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        subsidies.subsidy_policy_save(policy=obj)


# --- subsidy runs and allocations ----------------------------------------------------------------------------


class SubsidyRunForm(forms.ModelForm):
    class Meta:
        model = SubsidyRun
        fields = ["region", "period_start", "period_end"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("region") and cleaned.get("period_start") and cleaned.get("period_end"):
            try:
                subsidies.subsidy_run_create(
                    region_code=cleaned["region"].pk,
                    period_start=cleaned["period_start"],
                    period_end=cleaned["period_end"],
                    dry_run=True,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    raise  # a message for one field (the period's end) is shown beside that field
                raise ValidationError(exc.messages) from None
            self.instance.policy = subsidies.policy_covering(
                region_code=cleaned["region"].pk,
                period_start=cleaned["period_start"],
                period_end=cleaned["period_end"],
            )
        return cleaned


def run_status_badge(run) -> str:
    css = {
        RunStatus.PROPOSED: "uh-warn",
        RunStatus.APPROVED: "uh-ok",
        RunStatus.PAID: "uh-ok",
        RunStatus.FAILED: "uh-bad",
    }.get(run.status, "")
    return _badge(css, run.get_status_display())


@admin.register(SubsidyRun)
class SubsidyRunAdmin(ScopedModelAdmin):
    form = SubsidyRunForm
    change_form_template = "admin/stations/subsidyrun/change_form.html"
    # The run's name already says its region and period.
    list_display = ["__str__", "status_display", "progress_bar", "allocation_count", "total", "approved_by"]
    list_filter = ["status", "region"]
    search_fields = ["region__name", "region__code"]
    list_select_related = ["region", "approved_by", "job"]
    autocomplete_fields = ["region"]
    actions = ["compute_selected", "approve_selected"]

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        return run_status_badge(obj)

    @admin.display(description=_("progress"))
    def progress_bar(self, obj):
        if obj.job_id is None:
            return "-"
        done, _total, stage = obj.job.progress_now()
        return format_html(
            '<progress class="uh-progress" max="100" value="{}" title="{}"></progress> {}%',
            obj.job.percent or 0,
            stage,
            obj.job.percent or 0,
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["region", "period_start", "period_end"]
        return [
            "region",
            "period_start",
            "period_end",
            "policy",
            "status_display",
            "progress_bar",
            "allocation_count",
            "total",
            "computed_at",
            "approved_by",
            "approved_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def get_changeform_initial_data(self, request):
        return {"region": reach_of(request.user).region_code, **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def can_approve(self, request) -> bool:
        return request.user.has_perm("stations.approve_subsidyrun")

    def has_approve_permission(self, request):
        return self.can_approve(request)

    def save_model(self, request, obj, form, change):
        run = subsidies.subsidy_run_create(
            region_code=obj.region_id, period_start=obj.period_start, period_end=obj.period_end
        )
        obj.pk = run.pk
        subsidies.subsidy_run_start(run=run, user=request.user)
        self.message_user(request, _("The run is queued; this page shows its progress."))

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(reverse("admin:stations_subsidyrun_change", args=[obj.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self.get_object(request, object_id)
        extra = {
            "run": run,
            "can_compute": run is not None and not run.is_locked and super().has_change_permission(request, run),
            "can_approve": run is not None and run.status == RunStatus.PROPOSED and self.can_approve(request),
            "can_mark_paid": run is not None and run.status == RunStatus.APPROVED and self.can_approve(request),
            "can_export": run is not None and run.is_locked,
            "job": run.job if run is not None else None,
            "allocations_url": reverse("admin:stations_subsidyallocation_changelist")
            + (f"?run__id__exact={run.pk}" if run else ""),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def get_custom_views(self):
        change, approve = ("stations.change_subsidyrun",), ("stations.view_subsidyrun", "stations.approve_subsidyrun")
        return [
            AdminView("<path:object_id>/compute/", self.compute_view, "compute", change, ("POST",)),
            # Approving money is confirmed: GET shows the count and total, POST with those figures approves.
            AdminView("<path:object_id>/approve/", self.approve_view, "approve", approve, ("GET", "POST")),
            AdminView("<path:object_id>/paid/", self.paid_view, "paid", approve, ("POST",)),
            # The payment list: who is paid what, for those who may see the run.
            AdminView("<path:object_id>/export/", self.export_view, "export", ("stations.view_subsidyrun",)),
            *super().get_custom_views(),
        ]

    def _back(self, run):
        return HttpResponseRedirect(reverse("admin:stations_subsidyrun_change", args=[run.pk]))

    def compute_view(self, request, run):
        self._compute(request, run)
        return self._back(run)

    def _compute(self, request, run):
        if run.is_locked:
            self.message_user(
                request, _("%(run)s is approved and can no longer change.") % {"run": run}, messages.ERROR
            )
            return
        try:
            with transaction.atomic():
                run = subsidies.subsidy_run_start(run=run, user=request.user)
        except ValidationError as exc:  # already queued or computing: one job per run at a time
            self.message_user(request, f"{run}: {'；'.join(exc.messages)}", messages.WARNING)
            return
        if run.status == RunStatus.FAILED:
            self.message_user(request, f"{run}: {run.error}", messages.ERROR)
        else:
            self.message_user(request, _("%(run)s: computation queued.") % {"run": run})

    def approve_view(self, request, run):
        """Approving money is confirmed: a GET (or a POST whose confirmed figures no longer match, because
        the run was computed again meanwhile) shows the count and the total; only a POST confirming exactly
        those figures approves."""
        confirmed = (request.POST.get("confirm_count"), request.POST.get("confirm_total"))
        if request.method == "POST" and confirmed == (str(run.allocation_count), str(run.total)):
            return self._decide(request, run, subsidies.subsidy_run_approve, _("%(run)s approved."))
        if request.method == "POST":
            self.message_user(
                request, _("The run changed since you opened this page: check the figures again."), messages.WARNING
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "run": run,
            "title": _("Approve %(run)s?") % {"run": run},
            "total_text": format_yuan(run.total),
            "by_type": [{**row, "total_text": format_yuan(row["total"])} for row in run_totals_by_type(run)],
            "back_url": reverse("admin:stations_subsidyrun_change", args=[run.pk]),
        }
        return TemplateResponse(request, "admin/stations/subsidyrun/approve_confirm.html", context)

    def paid_view(self, request, run):
        return self._decide(request, run, subsidies.subsidy_run_mark_paid, _("%(run)s marked as paid."))

    def _decide(self, request, run, service, done_message):
        """Approve a run or mark it paid: county staff with the approval permission, through the service."""
        try:
            service(run=run, user=request.user)
            self.message_user(request, done_message % {"run": run}, messages.SUCCESS)
        except ValidationError as exc:
            self.message_user(request, _errors(exc), messages.ERROR)
        return self._back(run)

    def export_view(self, request, run):
        try:
            content = subsidies.subsidy_payment_export(run=run, user=request.user)
        except ValidationError as exc:
            self.message_user(request, _errors(exc), messages.ERROR)
            return self._back(run)
        filename = f"subsidy-{run.region_id}-{run.period_start:%Y%m%d}-{run.period_end:%Y%m%d}.xlsx"
        return file_response(content, filename)

    @admin.action(description=_("Compute the selected runs again"), permissions=["change"])
    def compute_selected(self, request, queryset):
        for run in queryset:
            self._compute(request, run)

    @admin.action(description=_("Approve the selected runs"), permissions=["approve"])
    def approve_selected(self, request, queryset):
        """One run: its confirmation page. Several: a page listing each run's count and total first."""
        if request.POST.get("post") != "yes":
            runs = list(queryset.select_related("region"))
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "runs": runs,
                "count": sum(r.allocation_count for r in runs),
                "grand_total": format_yuan(sum((r.total for r in runs), Decimal("0.00"))),
                "title": _("Approve the selected runs?"),
                "action": "approve_selected",
                "selected": [r.pk for r in runs],
                "back_url": reverse("admin:stations_subsidyrun_changelist"),
            }
            return TemplateResponse(request, "admin/stations/subsidyrun/approve_confirm.html", context)
        for run in queryset:
            try:
                subsidies.subsidy_run_approve(run=run, user=request.user)
                self.message_user(request, _("%(run)s approved.") % {"run": run}, messages.SUCCESS)
            except ValidationError as exc:
                self.message_user(request, f"{run}: {_errors(exc)}", messages.ERROR)


class SubsidyAllocationResource(ScopedResource):
    column_labels = {"station_code": Station._meta.get_field("code").verbose_name, "station_name": _("station")}
    station_code = ie_fields.Field(attribute="station__code", column_name="station_code")
    station_name = ie_fields.Field(attribute="station__name", column_name="station")

    class Meta:
        model = SubsidyAllocation
        fields = ["station_code", "station_name", "period_start", "period_end", "subsidy_type", "stars", "amount"]
        fields += ["status", "breakdown"]
        export_order = fields


@admin.register(SubsidyAllocation)
class SubsidyAllocationAdmin(ReadOnlyAdminMixin, ScopedExportAdmin):
    scoped_base = staticmethod(allocations_reached)  # the list selector's scope; filters: AllocationFilterSet's
    resource_classes = [SubsidyAllocationResource]
    list_display = ["station", "period_start", "subsidy_type", "stars", "amount", "status", "breakdown"]
    # Stars offered as the fixed levels, not Django's SELECT DISTINCT over every allocation (96 ms at 120,000).
    list_filter = ["subsidy_type", "status", StarsFieldFilter, "run"]
    search_fields = ["station__name", "station__code", "breakdown"]
    list_select_related = ["station"]
    # Newest first, as the runs wrote them, through the primary key: the model's order (the run's period, then
    # the station) joined and sorted every allocation in reach for each page (290 ms at 120,000).
    ordering = ["-pk"]
    readonly_fields = [f.name for f in SubsidyAllocation._meta.fields]
