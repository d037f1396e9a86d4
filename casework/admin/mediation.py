"""Mediation cases in the admin: parties, claims, mediators and meetings inline; the outcome on the case;
agreements with their instalments, the printable 调解协议书, and the figures page."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.filtersets import INSTALMENT_CHOICES, PERIOD_CHOICES, cases_instalments, cases_past_period
from casework.models import Agreement, CaseMediator, ClaimItem, Instalment, MediationCase, Meeting, Party, WorkerRequest
from casework.selectors.clock import mediation_period_ends_on
from casework.selectors.figures import casework_figures
from casework.selectors.lists import cases_reached
from casework.selectors.reach import requests_reached
from casework.services import agreements as agreement_services
from casework.services.mediation import mediation_case_save, mediation_is_overdue, mediator_check
from stations.models import Station
from unionhub.admin.base import ScopedInlineMixin, ScopedModelAdmin
from unionhub.admin.personal import MaskedNumbersMixin, RevealAdminMixin
from unionhub.admin.views import AdminView
from unionhub.scoping import scope_queryset


class PartyInline(MaskedNumbersMixin, ScopedInlineMixin, admin.TabularInline):
    model = Party
    fields = ["role", "name", "mobile", "credit_code"]
    extra = 0


class ClaimInline(ScopedInlineMixin, admin.TabularInline):
    model = ClaimItem
    fields = ["party", "description", "amount_claimed", "amount_agreed", "above_claim_reason"]
    extra = 0

    def get_fields(self, request, obj=None):
        # On a new case the parties are not saved yet, so there is no worker to choose: the column would be an
        # empty drop-down. The claim's worker is chosen once the case (and its parties) is saved.
        fields = super().get_fields(request, obj)
        return fields if obj is not None else [f for f in fields if f != "party"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "party" and field is not None:
            case_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            field.queryset = Party.objects.filter(case_id=case_id or 0, role="worker")
        return field


class MediatorFormSet(forms.BaseInlineFormSet):
    """Each mediator must be on the case's station's mediation team (``mediator_check``, as the service that
    adds one applies it)."""

    def clean(self):
        super().clean()
        case = self.instance
        if case is None or not case.station_id:
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("name"):
                continue
            try:
                mediator_check(station=case.station, name=data["name"])
            except ValidationError as exc:
                form.add_error(None, exc)


class MediatorInline(ScopedInlineMixin, admin.TabularInline):
    model = CaseMediator
    formset = MediatorFormSet
    fields = ["name"]
    extra = 0


class MeetingInline(ScopedInlineMixin, admin.TabularInline):
    model = Meeting
    fields = ["held_at", "mode", "place", "notes"]
    extra = 0


class PeriodEndFilter(admin.SimpleListFilter):
    title = _("mediation period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return PERIOD_CHOICES

    def queryset(self, request, queryset):
        return cases_past_period(queryset, self.value())  # as MediationCaseFilterSet's ``period``


class InstalmentsFilter(admin.SimpleListFilter):
    title = _("instalments")
    parameter_name = "instalments"

    def lookups(self, request, model_admin):
        return INSTALMENT_CHOICES

    def queryset(self, request, queryset):
        return cases_instalments(queryset, self.value())  # as MediationCaseFilterSet's ``instalments``


@admin.register(MediationCase)
class MediationCaseAdmin(RevealAdminMixin, ScopedModelAdmin):
    scoped_base = staticmethod(cases_reached)  # the list selector's scope; filters: MediationCaseFilterSet's names
    list_display = [
        "number",
        "station",
        "source",
        "category",
        "received_on",
        "period_display",
        "status",
        "closed_on",
    ]
    list_filter = ["status", "source", "category", PeriodEndFilter, InstalmentsFilter, "station"]
    search_fields = ["number", "court_case_number", "summary", "parties__name"]
    list_select_related = ["station"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["station"]
    raw_id_fields = ["request"]
    readonly_fields = ["number", "period_display"]
    inlines = [PartyInline, ClaimInline, MediatorInline, MeetingInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("number", "station"),
                    ("source", "request"),
                    ("court_name", "court_case_number"),
                    ("category", "received_on", "period_display"),
                    "summary",
                ]
            },
        ),
        (
            pgettext_lazy("mediation case", "outcome"),
            {"fields": [("status", "closed_on", "arbitration_referred_on"), "outcome_note"]},
        ),
    ]

    def reveal_targets(self, obj):
        return list(obj.parties.all())  # the parties' mobile numbers, each reveal logged

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        reveal = self.reveal_fields(request) if obj is not None else []
        if not reveal:
            return fieldsets
        title, options = fieldsets[0]
        return [(title, {**options, "fields": [*options["fields"], *reveal]}), *fieldsets[1:]]

    @admin.display(description=_("mediation period ends"))
    def period_display(self, obj):
        if not obj or not obj.received_on or not obj.station_id:
            return "—"
        if mediation_is_overdue(obj):
            return format_html('<strong style="color:#b00">{} {}</strong>', mediation_period_ends_on(obj), _("passed"))
        return mediation_period_ends_on(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "request" and field is not None:
            field.queryset = requests_reached(request.user, WorkerRequest.objects.all())
        return field

    def save_model(self, request, obj, form, change):
        mediation_case_save(case=obj, by=request.user)

    def get_custom_views(self):
        return [
            AdminView("figures/", self.figures_view, "figures", ("casework.view_mediationcase",)),
            *super().get_custom_views(),
        ]

    def figures_view(self, request):
        """Received, closed, settled, money, medians, limits and ratings per station for a period."""
        today = timezone.localdate()
        form = PeriodForm(request.GET or None, initial={"start": today.replace(month=1, day=1), "end": today})
        start, end = today.replace(month=1, day=1), today
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        stations = scope_queryset(Station.objects.all(), request.user)
        rows, total = casework_figures(
            requests=requests_reached(request.user, WorkerRequest.objects.all()),
            cases=self.get_queryset(request),
            start=start,
            end=end,
            station_names=dict(stations.values_list("pk", "name")),
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Requests and mediation in figures"),
            "form": form,
            "rows": rows,
            "total": total,
            "start": start,
            "end": end,
            "opts": self.opts,
        }
        return TemplateResponse(request, "casework/admin/figures.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"figures_url": reverse("admin:casework_mediationcase_figures"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)


class PeriodForm(forms.Form):
    start = forms.DateField(label=pgettext_lazy("period", "from"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=pgettext_lazy("period", "to"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The end of the period is before its start."))
        return data


class InstalmentInline(ScopedInlineMixin, admin.TabularInline):
    model = Instalment
    fields = ["sequence", "due_on", "amount", "amount_paid", "paid_on", "overdue_display"]
    readonly_fields = ["overdue_display"]
    extra = 0

    @admin.display(description=_("overdue"))
    def overdue_display(self, obj):
        return (
            format_html('<strong style="color:#b00">{}</strong>', _("overdue")) if obj.pk and obj.is_overdue() else ""
        )


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "case",
            "signed_on",
            "terms",
            "review_requested_on",
            "review_result",
            "reviewed_on",
            "review_document_number",
        ]

    def clean(self):
        data = super().clean()
        case = data.get("case")
        if case is not None and not self.instance.pk:
            try:
                agreement_services.agreement_check_case(case=case)
            except ValidationError as exc:
                self.add_error("case", exc)
        return data


@admin.register(Agreement)
class AgreementAdmin(ScopedModelAdmin):
    form = AgreementForm
    list_display = ["case", "signed_on", "agreed_display", "paid_display", "review_result", "print_link"]
    list_filter = ["review_result"]
    search_fields = ["case__number", "case__parties__name"]
    list_select_related = ["case"]
    raw_id_fields = ["case"]
    inlines = [InstalmentInline]

    @admin.display(description=_("agreed (yuan)"))
    def agreed_display(self, obj):
        return obj.case.claims.aggregate(total=Sum("amount_agreed"))["total"]

    @admin.display(description=_("paid (yuan)"))
    def paid_display(self, obj):
        return agreement_services.agreement_paid_total(obj)

    @admin.display(description=_("print"))
    def print_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank">{}</a>',
            reverse("admin:casework_agreement_print", args=[obj.pk]),
            _("print the agreement"),
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "case" and field is not None:
            field.queryset = field.queryset.filter(status="open") | field.queryset.filter(agreement__isnull=False)
        return field

    def save_model(self, request, obj, form, change):
        agreement_services.agreement_save(agreement=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        problem = agreement_services.agreement_schedule_problem(form.instance)
        if problem:
            self.message_user(request, problem, messages.WARNING)

    def get_custom_views(self):
        return [
            AdminView("<path:object_id>/print/", self.print_view, "print", ("casework.view_agreement",)),
            *super().get_custom_views(),
        ]

    def print_view(self, request, agreement):
        case = agreement.case
        context = {
            "agreement": agreement,
            "case": case,
            "workers": [p for p in case.parties.all() if p.role == "worker"],
            "employers": [p for p in case.parties.all() if p.role == "employer"],
            "claims": case.claims.select_related("party"),
            "instalments": agreement.instalments.all(),
            "total": case.claims.aggregate(total=Sum("amount_agreed"))["total"],
            "mediators": case.mediators.all(),
        }
        return render(request, "casework/agreement_print.html", context)
