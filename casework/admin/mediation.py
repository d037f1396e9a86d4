"""Mediation cases in the admin: parties, claims, mediators and meetings inline; the outcome on the case;
agreements with their instalments, the printable 调解协议书, and the figures page."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.admin.case_filters import InstalmentsFilter, PeriodEndFilter
from casework.choices import CaseStatus, RequestCategory
from casework.models import (
    Agreement,
    CaseMediator,
    ClaimItem,
    MediationCase,
    Meeting,
    Party,
    WorkerRequest,
)
from casework.selectors.clock import mediation_period_ends_on
from casework.selectors.figures import casework_figures, figures_default_period
from casework.selectors.lists import cases_reached
from casework.selectors.mediation import (
    case_limitation,
    case_timeline,
    certificate_allowed,
    injury_deadlines,
    request_by_reference,
)
from casework.selectors.reach import requests_reached
from casework.services.mediation import (
    claims_frozen_check,
    mediation_case_check,
    mediation_case_save,
    mediation_is_overdue,
    mediator_check,
)
from casework.services.mediation_notices import mediation_meeting_notify
from stations.models import Station
from unionhub.admin.base import ScopedInlineMixin, ScopedModelAdmin
from unionhub.admin.personal import MaskedNumbersMixin, RevealAdminMixin
from unionhub.admin.views import AdminView
from unionhub.scoping import scope_queryset


class PartyInline(MaskedNumbersMixin, ScopedInlineMixin, admin.TabularInline):
    model = Party
    fields = ["role", "name", "mobile", "credit_code"]
    extra = 0


def errors_beside_fields(form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: each message beside its field (or on top when it has none)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ClaimFormSet(forms.BaseInlineFormSet):
    """Claims are frozen once the agreement is signed (``claims_frozen_check``): every changed row is refused,
    beside the field."""

    def clean(self):
        super().clean()
        case = self.instance
        if case is None or case.pk is None:
            return
        for form in self.forms:
            if not form.has_changed() and not (getattr(form, "cleaned_data", None) or {}).get("DELETE"):
                continue
            try:
                claims_frozen_check(case=case)
            except ValidationError as exc:
                changed = [name for name in form.changed_data if name in form.fields and name != "DELETE"]
                form.add_error(changed[0] if changed else None, exc)


class ClaimInline(ScopedInlineMixin, admin.TabularInline):
    model = ClaimItem
    formset = ClaimFormSet
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
            return  # the case's own form says the station is missing
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            # Only rows added or changed now: a mediator saved earlier (the team list changed since) does not
            # block every later save of the case.
            if data.get("DELETE") or not data.get("name") or not form.has_changed():
                continue
            try:
                mediator_check(station=case.station, name=data["name"])
            except ValidationError as exc:
                errors_beside_fields(form, exc)


class MediatorInline(ScopedInlineMixin, admin.TabularInline):
    model = CaseMediator
    formset = MediatorFormSet
    fields = ["name"]
    extra = 0


class MeetingInline(ScopedInlineMixin, admin.TabularInline):
    model = Meeting
    fields = ["held_at", "mode", "place", "notes"]
    extra = 0


class MediationCaseForm(forms.ModelForm):
    """The case form: the worker's request is given by its reference (never a numeric id), looked up in the
    user's reach; the service's rules (``mediation_case_check``) are shown beside their fields."""

    request_reference = forms.CharField(
        label=_("worker's request (reference number)"),
        max_length=12,
        required=False,
        help_text=_("The reference the worker was given, such as S7K2M9QH4T. Leave empty for a case at the desk."),
    )
    user = None  # set per request on the class ``get_form`` builds (a new class each time)

    class Meta:
        model = MediationCase
        fields = [
            "station",
            "source",
            "court_name",
            "court_case_number",
            "category",
            "received_on",
            "rights_known_on",
            "incident_on",
            "summary",
            "status",
            "closed_on",
            "arbitration_referred_on",
            "outcome_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_status = self.instance.status if self.instance.pk else None
        if self.instance.pk and "request_reference" in self.fields:
            del self.fields["request_reference"]

    def clean_request_reference(self):
        reference = (self.cleaned_data.get("request_reference") or "").strip().upper()
        if not reference:
            return None
        if not reference.isalnum():
            raise ValidationError(_("A reference number has letters and digits only."))
        request = request_by_reference(self.user, reference)
        if request is None:
            raise ValidationError(_("No request with this reference number within your reach."))
        return request

    def _post_clean(self):
        super()._post_clean()
        request = self.cleaned_data.get("request_reference")
        if request is not None:
            self.instance.request = request
        try:
            mediation_case_check(case=self.instance, previous_status=self.previous_status)
        except ValidationError as exc:
            if "request" in getattr(exc, "error_dict", {}):
                exc.error_dict["request_reference"] = exc.error_dict.pop("request")
            errors_beside_fields(self, exc)


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
    form = MediationCaseForm
    readonly_fields = [
        "number",
        "period_display",
        "request_display",
        "timeline_display",
        "agreement_display",
        "deadlines_display",
    ]
    inlines = [PartyInline, ClaimInline, MediatorInline, MeetingInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("number", "station"),
                    ("source", "request_reference"),
                    ("court_name", "court_case_number"),
                    ("category", "received_on", "period_display"),
                    ("rights_known_on", "incident_on"),
                    "summary",
                ]
            },
        ),
        (
            pgettext_lazy("mediation case", "outcome"),
            {"fields": [("status", "closed_on", "arbitration_referred_on"), "outcome_note"]},
        ),
    ]
    change_fieldsets_extra = [
        (_("timeline, agreement and papers"), {"fields": ["timeline_display", "agreement_display"]}),
        (_("legal deadlines"), {"fields": ["deadlines_display"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # ``form`` is a class built for this request only
        return form

    @admin.display(description=_("worker's request"))
    def request_display(self, obj):
        if not obj or not obj.request_id:
            return "—"
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:casework_workerrequest_change", args=[obj.request_id]),
            obj.request.reference,
            obj.request.get_status_display(),
        )

    @admin.display(description=_("timeline"))
    def timeline_display(self, obj):
        if not obj or not obj.pk:
            return "—"
        rows = format_html_join("", "<li>{} · {}</li>", ((f"{day:%Y-%m-%d}", text) for day, text in case_timeline(obj)))
        return format_html('<ol class="case-timeline">{}</ol>', rows)

    @admin.display(description=_("agreement and papers"))
    def agreement_display(self, obj):
        if not obj or not obj.pk:
            return "—"
        links = []
        agreement = Agreement.objects.filter(case=obj).first()
        if agreement is not None:
            links.append((reverse("admin:casework_agreement_change", args=[agreement.pk]), _("the agreement")))
            links.append((reverse("admin:casework_agreement_print", args=[agreement.pk]), _("print the agreement")))
            for amendment in agreement.amendments.all():
                url = reverse("admin:casework_agreement_print", args=[agreement.pk]) + f"?v={amendment.version}"
                links.append((url, _("print amendment v%(v)s") % {"v": amendment.version}))
        elif obj.status == CaseStatus.OPEN:
            links.append(
                (reverse("admin:casework_agreement_add") + f"?case={obj.pk}", _("record the signed agreement"))
            )
        if certificate_allowed(obj):
            url = reverse("admin:casework_mediationcase_certificate", args=[obj.pk])
            links.append((url, _("print the certificate of failed mediation")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links) or "—"

    @admin.display(description=_("legal deadlines"))
    def deadlines_display(self, obj):
        if not obj or not obj.pk:
            return "—"
        lines = []
        limitation = case_limitation(obj)
        lines.append(
            _("Arbitration limitation (one year): interrupted on %(on)s, runs until %(ends)s.")
            % {"on": limitation["interrupted_on"], "ends": limitation["ends_on"]}
        )
        if obj.category == RequestCategory.WORK_INJURY:
            deadlines = injury_deadlines(obj.incident_on)
            if deadlines:
                lines.append(
                    _(
                        "Work-injury recognition: the employer by %(employer)s (30 days), "
                        "the worker by %(worker)s (1 year)."
                    )
                    % {"employer": deadlines["employer_by"], "worker": deadlines["worker_by"]}
                )
            else:
                lines.append(
                    _(
                        "Work-injury recognition: the employer within 30 days of the accident or diagnosis, the worker "
                        "within 1 year. Give the date of the accident or diagnosis to see the dates."
                    )
                )
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        title, options = fieldsets[0]
        fields = list(options["fields"])
        if obj is not None:
            fields = [("source", "request_display") if f == ("source", "request_reference") else f for f in fields]
            fieldsets = [(title, {**options, "fields": fields}), *fieldsets[1:], *self.change_fieldsets_extra]
        reveal = self.reveal_fields(request) if obj is not None else []
        if not reveal:
            return fieldsets
        title, options = fieldsets[0]
        return [(title, {**options, "fields": [*options["fields"], *reveal]}), *fieldsets[1:]]

    def get_custom_views(self):
        return [
            AdminView(
                "<path:object_id>/certificate/", self.certificate_view, "certificate", ("casework.view_mediationcase",)
            ),
            *self._base_custom_views(),
        ]

    def certificate_view(self, request, case):
        """调解不成证明: for arbitration, when the case ended without agreement or its period passed."""
        parties = list(case.parties.all())
        context = {
            "case": case,
            "allowed": certificate_allowed(case),
            "workers": [p for p in parties if p.role == "worker"],
            "employers": [p for p in parties if p.role == "employer"],
            "mediators": case.mediators.all(),
            "period_ends": mediation_period_ends_on(case),
            "issued_on": case.closed_on or timezone.localdate(),
        }
        return render(request, "casework/certificate_print.html", context)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Meeting:
            for meeting in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
                mediation_meeting_notify(meeting=meeting)

    def reveal_targets(self, obj):
        return list(obj.parties.all())  # the parties' mobile numbers, each reveal logged

    @admin.display(description=_("mediation period ends"))
    def period_display(self, obj):
        if not obj or not obj.received_on or not obj.station_id:
            return "—"
        if mediation_is_overdue(obj):
            return format_html('<strong style="color:#b00">{} {}</strong>', mediation_period_ends_on(obj), _("passed"))
        return mediation_period_ends_on(obj)

    def save_model(self, request, obj, form, change):
        mediation_case_save(case=obj, by=request.user, previous_status=form.previous_status)

    def _base_custom_views(self):
        return [
            AdminView("figures/", self.figures_view, "figures", ("casework.view_mediationcase",)),
            *super().get_custom_views(),
        ]

    def figures_view(self, request):
        """Received, closed, settled, money, medians, limits and ratings per station for a period."""
        requests = requests_reached(request.user, WorkerRequest.objects.all())
        start, end = figures_default_period(
            requests=requests, cases=self.get_queryset(request), today=timezone.localdate()
        )
        form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        stations = scope_queryset(Station.objects.all(), request.user)
        rows, total = casework_figures(
            requests=requests,
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
    # A browser's date input takes only ISO dates (YYYY-MM-DD): the locale's format ("2026年1月1日") left it blank.
    start = forms.DateField(
        label=pgettext_lazy("period", "from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "to"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The end of the period is before its start."))
        return data
