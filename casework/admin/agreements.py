"""Mediation agreements in the admin: the agreement with its instalments, amendments (new signed versions)
and the steps taken when instalments go unpaid; the prints."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from casework.admin.mediation import errors_beside_fields
from casework.models import (
    Agreement,
    AgreementAmendment,
    EnforcementStep,
    Instalment,
)
from casework.selectors.mediation import (
    judicial_window,
    next_steps_on_non_payment,
)
from casework.services import agreements as agreement_services
from unionhub.admin.base import ScopedInlineMixin, ScopedModelAdmin
from unionhub.admin.views import AdminView
from unionhub.money import format_yuan


class InstalmentFormSet(forms.BaseInlineFormSet):
    """The instalments add up to exactly the total agreed; once signed, an instalment's amount and due date stay
    as signed; no payment is dated before signing (the services' rules, beside their fields)."""

    def clean(self):
        super().clean()
        agreement = self.instance
        if agreement is None or not agreement.case_id:
            return
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            if form.instance.pk and {"amount", "due_on"} & set(form.changed_data):
                changed = "amount" if "amount" in form.changed_data else "due_on"
                form.add_error(changed, _("The signed schedule cannot change. Record an amendment instead."))
            try:
                agreement_services.payment_date_check(agreement=agreement, paid_on=data.get("paid_on"))
            except ValidationError as exc:
                errors_beside_fields(form, exc)
            if data.get("amount") is not None:
                kept.append((form, data["amount"]))
        if not kept:
            return
        try:
            agreement_services.instalments_total_check(
                total=agreement_services.agreement_total(agreement.case), amounts=[amount for _form, amount in kept]
            )
        except ValidationError as exc:
            for form, _amount in kept:
                errors_beside_fields(form, exc)


class InstalmentInline(ScopedInlineMixin, admin.TabularInline):
    model = Instalment
    formset = InstalmentFormSet
    fields = ["sequence", "due_on", "amount", "amount_paid", "paid_on", "overdue_display"]
    readonly_fields = ["overdue_display"]
    extra = 0

    @admin.display(description=_("overdue"))
    def overdue_display(self, obj):
        return (
            format_html('<strong style="color:#b00">{}</strong>', _("overdue")) if obj.pk and obj.is_overdue() else ""
        )


class AmendmentFormSet(forms.BaseInlineFormSet):
    """Amendments are added, never edited: a signed amendment is a document as signed."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if form.instance.pk and form.has_changed():
                form.add_error(None, _("A signed amendment cannot change: record a further amendment."))


class AmendmentInline(ScopedInlineMixin, admin.StackedInline):
    model = AgreementAmendment
    formset = AmendmentFormSet
    fields = ["signed_on", "reason", "terms", "print_display"]
    readonly_fields = ["print_display"]
    extra = 0

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("print"))
    def print_display(self, obj):
        if not obj or not obj.pk:
            return "—"
        url = reverse("admin:casework_agreement_print", args=[obj.agreement_id]) + f"?v={obj.version}"
        return format_html('<a href="{}" target="_blank">{} v{}</a>', url, _("print the amendment"), obj.version)


class EnforcementFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        agreement = self.instance
        if agreement is None or agreement.pk is None:
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not form.has_changed():
                continue
            try:
                agreement_services.enforcement_check(
                    agreement=agreement, kind=data.get("kind"), taken_on=data.get("taken_on")
                )
            except ValidationError as exc:
                errors_beside_fields(form, exc)


class EnforcementInline(ScopedInlineMixin, admin.TabularInline):
    model = EnforcementStep
    formset = EnforcementFormSet
    fields = ["kind", "taken_on", "note"]
    extra = 0


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
            "judicial_applied_on",
            "judicial_result",
            "judicial_ruling_number",
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

    def _post_clean(self):
        super()._post_clean()
        if not self.instance.case_id:
            return
        previous = Agreement.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        try:
            agreement_services.agreement_fields_check(agreement=self.instance, previous=previous)
        except ValidationError as exc:
            errors_beside_fields(self, exc)


@admin.register(Agreement)
class AgreementAdmin(ScopedModelAdmin):
    form = AgreementForm
    list_display = ["case", "signed_on", "agreed_display", "paid_display", "review_result", "print_link"]
    list_filter = ["review_result", "judicial_result"]
    search_fields = ["case__number", "case__parties__name"]
    list_select_related = ["case"]
    raw_id_fields = ["case"]
    inlines = [InstalmentInline, AmendmentInline, EnforcementInline]
    readonly_fields = ["judicial_window_display", "next_steps_display", "print_link"]
    fieldsets = [
        (None, {"fields": ["case", "signed_on", "terms", "print_link"]}),
        (
            _("arbitration review"),
            {"fields": [("review_requested_on", "review_result"), ("reviewed_on", "review_document_number")]},
        ),
        (
            _("judicial confirmation"),
            {
                "fields": [
                    "judicial_window_display",
                    ("judicial_applied_on", "judicial_result"),
                    "judicial_ruling_number",
                ]
            },
        ),
        (_("if the employer does not pay"), {"fields": ["next_steps_display"]}),
    ]

    @admin.display(description=_("agreed (yuan)"))
    def agreed_display(self, obj):
        return format_yuan(obj.case.claims.aggregate(total=Sum("amount_agreed"))["total"])

    @admin.display(description=_("paid (yuan)"))
    def paid_display(self, obj):
        return format_yuan(agreement_services.agreement_paid_total(obj))

    @admin.display(description=_("print"))
    def print_link(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html(
            '<a href="{}" target="_blank">{}</a>',
            reverse("admin:casework_agreement_print", args=[obj.pk]),
            _("print the agreement"),
        )

    @admin.display(description=_("30-day window from signing"))
    def judicial_window_display(self, obj):
        if not obj or not obj.pk:
            return _("Both parties may apply to the court within 30 days of signing.")
        window = judicial_window(obj)
        if obj.judicial_applied_on:
            return _("applied for on %(on)s (window ended %(ends)s)") % {
                "on": obj.judicial_applied_on,
                "ends": window["ends_on"],
            }
        if window["open"]:
            return _("apply by %(ends)s") % {"ends": window["ends_on"]}
        return _("the window ended on %(ends)s") % {"ends": window["ends_on"]}

    @admin.display(description=_("next steps"))
    def next_steps_display(self, obj):
        if not obj or not obj.pk:
            return "—"
        steps = next_steps_on_non_payment(obj)
        if not steps:
            return _("No instalment is overdue.")
        return format_html_join("", "<p>{}</p>", ((step,) for step in steps))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "case" and field is not None:
            field.queryset = field.queryset.filter(status="open") | field.queryset.filter(agreement__isnull=False)
        return field

    def save_model(self, request, obj, form, change):
        agreement_services.agreement_save(agreement=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is AgreementAmendment:
            # Saved through the service (it numbers the version); nothing else in this formset changes.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for amendment_form in formset.extra_forms:
                data = getattr(amendment_form, "cleaned_data", None) or {}
                if amendment_form.has_changed() and data and not data.get("DELETE"):
                    formset.new_objects.append(
                        agreement_services.agreement_amend(
                            agreement=form.instance,
                            signed_on=data["signed_on"],
                            reason=data["reason"],
                            terms=data["terms"],
                        )
                    )
            return
        super().save_formset(request, form, formset, change)

    def get_custom_views(self):
        return [
            AdminView("<path:object_id>/print/", self.print_view, "print", ("casework.view_agreement",)),
            *super().get_custom_views(),
        ]

    def print_view(self, request, agreement):
        case = agreement.case
        parties = list(case.parties.all())
        version = request.GET.get("v", "")
        amendment = agreement.amendments.filter(version=version).first() if version.isdigit() else None
        instalments = list(agreement.instalments.all())
        context = {
            "agreement": agreement,
            "amendment": amendment,
            "case": case,
            "workers": [p for p in parties if p.role == "worker"],
            "employers": [p for p in parties if p.role == "employer"],
            "claims": case.claims.select_related("party"),
            "instalments": instalments,
            "scheduled": sum((i.amount for i in instalments), Decimal("0")),
            "total": case.claims.aggregate(total=Sum("amount_agreed"))["total"],
            "mediators": case.mediators.all(),
        }
        return render(request, "casework/agreement_print.html", context)
