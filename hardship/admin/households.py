"""The register in the admin: households with their people, income, steps and objections inline; the step
page (visit, review, notice, approval, leaving), the worker's file, the figures and the printable notice."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hardship.admin.evidence import EvidenceInline, evidence_download
from hardship.filtersets import (
    DUE_CHOICES,
    NOTICE_CHOICES,
    WAITING_CHOICES,
    households_notice,
    households_waiting,
    rechecks_due,
)
from hardship.forms import FiguresForm, StepForm
from hardship.models import (
    Evidence,
    Household,
    HouseholdEvent,
    HouseholdPerson,
    HouseholdStatus,
    IncomeSource,
    Objection,
)
from hardship.selectors.figures import fund_figures, money_figures, quarterly_table, register_figures
from hardship.selectors.lists import households_reached
from hardship.selectors.notice import notice_rows
from hardship.selectors.worker_file import worker_file
from hardship.services import register
from hardship.services.evidence import evidence_add
from membership.models import Member
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedInlineMixin, ScopedModelAdmin
from unionhub.admin.personal import MaskedNumbersMixin, RevealAdminMixin
from unionhub.admin.views import AdminView
from unionhub.models import Region
from unionhub.scoping import reach_of, scope_queryset


class _ChoiceFilter(admin.SimpleListFilter):
    """A list filter over a choice of ``hardship.filtersets`` (the same function the list selector applies)."""

    options: list = []
    narrow = None

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        return type(self).narrow(queryset, self.value()) if self.value() else queryset


class NoticeFilter(_ChoiceFilter):
    title = _("public notice")
    parameter_name = "notice"
    options = NOTICE_CHOICES
    narrow = staticmethod(households_notice)


class WaitingFilter(_ChoiceFilter):
    title = _("in progress")
    parameter_name = "waiting"
    options = WAITING_CHOICES
    narrow = staticmethod(households_waiting)


class DueFilter(_ChoiceFilter):
    title = _("due")
    parameter_name = "recheck"
    options = DUE_CHOICES
    narrow = staticmethod(rechecks_due)


def errors_beside_fields(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class PersonFormSet(forms.BaseInlineFormSet):
    """The people's ID numbers valid and on file in no other county (``register.household_people_check``)."""

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            ids = register.household_people_check(
                household=self.instance, resident_ids=[f.cleaned_data.get("resident_id") or "" for f in kept]
            )
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        for form, rid in zip(kept, ids, strict=True):
            form.cleaned_data["resident_id"] = rid
            form.instance.resident_id = rid


class PersonInline(MaskedNumbersMixin, ScopedInlineMixin, admin.TabularInline):
    model = HouseholdPerson
    formset = PersonFormSet
    fields = ["name", "relationship", "resident_id", "age", "health", "school", "is_student", "disabled"]
    extra = 0


class IncomeFormSet(forms.BaseInlineFormSet):
    """The income sources add up to the household's income a year (beside the table when they do not)."""

    def clean(self):
        super().clean()
        amounts = [
            f.cleaned_data.get("annual_amount") or 0
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if amounts and sum(amounts) != (self.instance.annual_income or 0):
            raise ValidationError(
                gettext("The income a year (%(total)s) is not the sum of its sources (%(sum)s).")
                % {"total": self.instance.annual_income, "sum": sum(amounts)}
            )


class IncomeInline(ScopedInlineMixin, admin.TabularInline):
    model = IncomeSource
    formset = IncomeFormSet
    fields = ["kind", "annual_amount"]
    extra = 0


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = HouseholdEvent
    fields = ["step", "note", "by_name", "at"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("by"))
    def by_name(self, obj):
        return (obj.by.get_full_name() or "—") if obj.by_id else "—"


class ObjectionInline(ScopedInlineMixin, admin.StackedInline):
    model = Objection
    fields = ["received_on", "content", "resolution", "upheld", "resolved_at"]
    readonly_fields = ["resolved_at"]
    extra = 0


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "union",
            "head_name",
            "resident_id",
            "mobile",
            "member",
            "address",
            "employer",
            "layer",
            "cause",
            "people_count",
            "annual_income",
            "bank_name",
            "bank_account",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        household = self.instance
        for name, value in cleaned.items():
            setattr(household, name, value)
        try:
            register.household_check(household=household)
        except ValidationError as exc:
            errors_beside_fields(self, exc)
        cleaned["resident_id"] = household.resident_id
        cleaned["mobile"] = household.mobile
        return cleaned


@admin.register(Household)
class HouseholdAdmin(RevealAdminMixin, ScopedModelAdmin):
    form = HouseholdForm
    scoped_base = staticmethod(households_reached)
    ordering = ["-pk"]
    list_display = [
        "head_name",
        "resident_id_display",
        "union",
        "layer",
        "cause",
        "status",
        "source",
        "notice_ends",
        "filed_on",
    ]
    list_filter = ["status", "layer", "cause", "source", WaitingFilter, NoticeFilter]
    search_fields = ["head_name", "employer"]
    list_select_related = ["union"]
    date_hierarchy = "applied_on"
    autocomplete_fields = ["member"]  # the unions of a county fit a plain (scoped) select
    inlines = [PersonInline, IncomeInline, EvidenceInline, ObjectionInline, EventInline]
    readonly_fields = ["status", "notice_starts", "notice_ends", "filed_on", "left_on", "leave_reason", "links"]
    readonly_fields += ["reference", "source", "account"]

    def get_fields(self, request, obj=None):
        fields = [
            "union",
            "head_name",
            "resident_id",
            "mobile",
            "member",
            "address",
            "employer",
            "layer",
            "cause",
            "people_count",
            "annual_income",
            "bank_name",
            "bank_account",
            *self.reveal_fields(request),
        ]
        if obj is not None:
            fields += [
                "reference",
                "source",
                "account",
                "status",
                "notice_starts",
                "notice_ends",
                "filed_on",
                "left_on",
                "leave_reason",
                "links",
            ]
        return fields

    @admin.display(description=_("next"))
    def links(self, obj):
        if obj is None or not obj.pk:
            return "—"
        step = reverse("admin:hardship_household_step", args=[obj.pk])
        file = reverse("admin:hardship_household_file", args=[obj.pk])
        return format_html(
            '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
            step,
            gettext("Next step"),
            file,
            gettext("Worker's file"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:  # an application filed by staff: the service checks, files and records the step
            register.household_apply(household=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for objection in form.instance.objections.filter(resolved_at__isnull=True).exclude(resolution=""):
            register.objection_resolve(
                objection=objection, resolution=objection.resolution, upheld=objection.upheld, user=request.user
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Evidence:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                formset.deleted_objects.append(deleted.instance)
                deleted.instance.delete()
        for row in formset.forms:
            data = getattr(row, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            if row.instance.pk:
                if row.has_changed():
                    formset.changed_objects.append((row.save(), row.changed_data))
            elif data.get("file"):  # a new document: checked by content and stored by the service
                formset.new_objects.append(
                    evidence_add(household=form.instance, upload=data["file"], kind=data.get("kind"), user=request.user)
                )
        return None

    def get_custom_views(self):
        view, change = ("hardship.view_household",), ("hardship.change_household",)
        return [
            AdminView("evidence/<int:pk>/", evidence_download, "evidence_download", ("hardship.view_evidence",)),
            AdminView("member/<int:member_id>/file/", self.member_file_view, "member_file", view),
            AdminView("<path:object_id>/step/", self.step_view, "step", change, ("GET", "POST")),
            AdminView("<path:object_id>/file/", self.file_view, "file", view),
            AdminView("figures/", self.figures_view, "figures", view),
            AdminView("notice/", self.notice_view, "notice", view),
            *super().get_custom_views(),
        ]

    def _page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )

    def step_view(self, request, household):
        form = StepForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                self._apply_step(request, household, form.cleaned_data)
            except ValidationError as exc:
                errors_beside_fields(form, exc)
            else:
                self.message_user(request, gettext("Recorded."))
                return HttpResponseRedirect(reverse("admin:hardship_household_change", args=[household.pk]))
        return self._page(
            request,
            "hardship/admin/step.html",
            gettext("Next step"),
            form=form,
            original=household,
            events=household.events.select_related("by"),
        )

    def _apply_step(self, request, household, data):
        step, record, user = data["step"], data.get("record") or "", request.user
        if step == "visit":
            register.household_visit(household=household, record=record, user=user)
        elif step in ("review_pass", "review_fail"):
            register.household_review(household=household, passed=step == "review_pass", record=record, user=user)
        elif step == "notice":
            register.household_notice_start(household=household, days=data.get("days"), user=user)
        elif step == "approve":
            register.household_approve(household=household, user=user, note=record)
        elif step == "reject":
            register.household_reject(household=household, reason=record, user=user)
        elif step == "leave":
            register.household_leave(household=household, reason=data.get("leave_reason") or "", note=record, user=user)

    def file_view(self, request, household):
        return self._page(
            request,
            "hardship/admin/worker_file.html",
            gettext("Worker's file"),
            original=household,
            file=worker_file(request.user, household=household),
        )

    def member_file_view(self, request, member_id: int):
        """The worker's file reached from a member's page (membership's "member_actions" slot): the member as
        the user's scope reaches them, else "not found"."""
        member = scope_queryset(Member.objects.select_related("union"), request.user).filter(pk=member_id).first()
        if member is None:
            raise Http404
        return self._page(
            request,
            "hardship/admin/worker_file.html",
            gettext("Worker's file"),
            member=member,
            file=worker_file(request.user, member=member),
        )

    def figures_view(self, request):
        form = FiguresForm(request.GET or {"year": timezone.localdate().year})
        year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
        return self._page(
            request,
            "hardship/admin/figures.html",
            gettext("Hardship assistance figures"),
            form=form,
            year=year,
            register=register_figures(request.user, year),
            money=money_figures(request.user, year),
            funds=fund_figures(request.user),
            quarterly=quarterly_table(request.user, year, gettext("Quarterly condolence")),
        )

    def notice_view(self, request):
        code = (reach_of(request.user).region_code or "")[:6]
        counties = Region.objects.filter(level="county", code__startswith=code) if code else Region.objects.none()
        if request.user.is_superuser and not code:
            counties = Region.objects.filter(level="county", code__in=Household.objects.values("county"))
        sections = [(county, notice_rows(county=county.code)) for county in counties.order_by("code")[:50]]
        return self._page(request, "hardship/admin/notice.html", gettext("Public notice"), sections=sections)


__all__ = ["HouseholdAdmin", "HouseholdStatus"]
