"""Funds in the admin: balances (written only by the services), movements as a read-only ledger, and money
received recorded through ``fund_allocate``."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hardship.forms.payments import AuditForm
from hardship.models import Fund, FundMovement, MovementKind
from hardship.selectors.figures import counties_reached
from hardship.services import funds
from hardship.services.audit import audit_workbook
from unionhub.admin.base import ScopedModelAdmin
from unionhub.admin.views import AdminView
from unionhub.money import format_yuan
from unionhub.scoping import reach_of
from unionhub.spreadsheets.writing import XLSX_TYPE


@admin.register(Fund)
class FundAdmin(ScopedModelAdmin):
    list_display = ["name", "county", "source", "donor", "balance_display"]
    list_filter = ["source"]
    search_fields = ["name", "donor"]
    autocomplete_fields = ["county"]
    readonly_fields = ["balance_display"]

    @admin.display(description=_("balance (yuan)"), ordering="balance")
    def balance_display(self, obj):
        return format_yuan(obj.balance)

    def get_changeform_initial_data(self, request):
        return {"county": reach_of(request.user).region_code, **super().get_changeform_initial_data(request)}

    def get_custom_views(self):
        audit = ("hardship.view_fund", "hardship.view_entitlement")
        return [AdminView("audit/", self.audit_view, "audit", audit), *super().get_custom_views()]

    def audit_view(self, request):
        """The auditor's workbook of one county and period: the form (linked from the figures page), then the
        download."""
        counties = list(counties_reached(request.user))
        data = request.GET if "county" in request.GET else None
        initial = {"year": request.GET.get("year") or timezone.localdate().year}
        if len(counties) == 1:
            initial["county"] = counties[0].code
        form = AuditForm(data, initial=initial, counties=counties)
        if form.is_valid():
            start, end = form.period()
            county = form.cleaned_data["county"]
            content = audit_workbook(user=request.user, county=county, start=start, end=end)
            response = HttpResponse(content, content_type=XLSX_TYPE)
            name = f"hardship-audit-{county}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("The auditor's workbook"),
            "form": form,
        }
        return TemplateResponse(request, "hardship/admin/audit.html", context)


class AllocationForm(forms.ModelForm):
    class Meta:
        model = FundMovement
        fields = ["fund", "amount", "note"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError(_("Enter an amount above zero."))
        return amount


@admin.register(FundMovement)
class FundMovementAdmin(ScopedModelAdmin):
    """Money received is added here; spending and returns are written by approvals and payments."""

    form = AllocationForm
    list_display = ["fund", "kind", "amount_display", "cycle", "note", "by_name", "at"]
    list_filter = ["kind"]
    list_select_related = ["fund", "cycle", "by"]

    @admin.display(description=_("amount (yuan)"), ordering="amount")
    def amount_display(self, obj):
        return format_yuan(obj.amount)

    @admin.display(description=_("by"))
    def by_name(self, obj):
        return (obj.by.get_full_name() or "—") if obj.by_id else "—"

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        made = funds.fund_allocate(fund=obj.fund, amount=obj.amount, note=obj.note, user=request.user)
        obj.pk = made.pk


__all__ = ["FundAdmin", "FundMovementAdmin", "MovementKind"]
