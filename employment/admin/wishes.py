"""Job wishes and referrals in the admin: mobile numbers masked (write-only inputs; in full only through the logged
reveal), the spreadsheet import (all rows or none, errors by row and column), the vacancies that fit a wish, the
referrals' outcomes."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from employment.filtersets import WAITING_CHOICES, wishes_waiting
from employment.forms.admin import ReferralOutcomeForm, WishImportForm
from employment.models import JobWish, Referral
from employment.selectors.lists import referrals_reached, vacancies_reached, wishes_reached
from employment.selectors.matching import vacancies_for_wish
from employment.services import referral_record, wish_prepare, wish_renew, wish_validate, wishes_import
from stations.selectors.lists import stations_reached
from unionhub.admin.base import ScopedModelAdmin
from unionhub.admin.personal import RevealAdminMixin
from unionhub.admin.views import AdminView


class WaitingFilter(admin.SimpleListFilter):
    title = _("waiting")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return WAITING_CHOICES

    def queryset(self, request, queryset):
        return wishes_waiting(queryset, self.value())


class WishForm(forms.ModelForm):
    class Meta:
        model = JobWish
        fields = [
            "station",
            "name",
            "mobile",
            "occupation",
            "area",
            "pay_expected",
            "max_daily_hours",
            "skills",
            "consent",
        ]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            wish_validate(wish=self.instance)
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)


@admin.register(JobWish)
class JobWishAdmin(RevealAdminMixin, ScopedModelAdmin):
    form = WishForm
    scoped_base = staticmethod(wishes_reached)
    list_display = [
        "occupation",
        "name",
        "mobile_display",
        "pay_expected",
        "station",
        "valid_until",
        "status",
        "source",
    ]
    list_filter = [WaitingFilter, "status", "source", "occupation", "station"]
    search_fields = ["name", "skills"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["station", "area"]
    readonly_fields = ["status", "source", "valid_until"]
    actions = ["renew"]
    fields = [
        "station",
        ("name", "mobile"),
        ("occupation", "area"),
        ("pay_expected", "max_daily_hours"),
        "skills",
        "consent",
        ("status", "source", "valid_until"),
    ]

    def get_fields(self, request, obj=None):
        # The "show in full (logged)" button, on an existing wish, for users who may reveal (unionhub.personal).
        reveal = self.reveal_fields(request) if obj is not None else []
        return [*self.fields, *reveal]

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            wish_prepare(wish=obj, user=request.user)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Renew the chosen wishes for 90 days"), permissions=["change"])
    def renew(self, request, queryset):
        for wish in queryset:
            wish_renew(wish=wish, user=request.user)
        messages.success(request, gettext("%(n)s wishes renewed.") % {"n": len(queryset)})

    def get_custom_views(self):
        add = ("employment.add_jobwish",)
        view = ("employment.view_jobwish",)
        return [
            AdminView("import/", self.import_view, "import_sheet", add, ("GET", "POST")),
            AdminView("<path:object_id>/matches/", self.matches_view, "matches", view),
            *super().get_custom_views(),
        ]

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}

    def import_view(self, request):
        stations = stations_reached(request.user)
        form = WishImportForm(request.POST or None, request.FILES or None, stations=stations)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            saved, errors = wishes_import(
                station=form.cleaned_data["station"], user=request.user, data=upload.read(), filename=upload.name
            )
            if not errors:
                messages.success(request, gettext("%(n)s job wishes imported.") % {"n": saved})
                return redirect("admin:employment_jobwish_changelist")
        context = self._context(request, gettext("Import job wishes"), form=form, errors=errors)
        return TemplateResponse(request, "employment/admin/wish_import.html", context)

    def matches_view(self, request, obj):
        rows = vacancies_for_wish(obj, queryset=vacancies_reached(request.user))[:50]
        context = self._context(request, gettext("Vacancies that fit"), original=obj, vacancies=rows)
        return TemplateResponse(request, "employment/admin/wish_matches.html", context)


@admin.register(Referral)
class ReferralAdmin(ScopedModelAdmin):
    form = ReferralOutcomeForm
    scoped_base = staticmethod(referrals_reached)
    list_display = ["vacancy", "wish", "referred_on", "interview_on", "outcome", "outcome_on"]
    list_filter = ["outcome"]
    date_hierarchy = "referred_on"
    readonly_fields = ["vacancy", "wish", "referred_on"]
    fields = ["vacancy", "wish", "referred_on", "interview_on", "outcome", "outcome_on"]

    def has_add_permission(self, request):
        return False  # made from a vacancy's matching wishes

    def save_model(self, request, obj, form, change):
        try:
            referral_record(
                referral=obj,
                user=request.user,
                outcome=obj.outcome,
                interview_on=obj.interview_on,
                outcome_on=obj.outcome_on,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
