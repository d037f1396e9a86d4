"""Vacancies in the admin: posting (the station for the employer), the 监督核查 check page, the ranked wishes
that fit a vacancy with the referral button, and the figures page."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from employment.filtersets import CURRENT_CHOICES, vacancies_current
from employment.forms.admin import CheckForm, PeriodForm, ReferForm
from employment.models import MinimumWage, Vacancy, VacancyCheck
from employment.selectors.figures import employment_figures, fair_figures, posts_by_title, sheet_numbering
from employment.selectors.lists import minimum_wages_reached, vacancies_reached, wishes_reached
from employment.selectors.matching import wishes_for_vacancy
from employment.services import (
    referral_make,
    vacancy_check,
    vacancy_check_reasons_preview,
    vacancy_save,
    vacancy_validate,
)
from employment.services.vacancies import EDITABLE
from stations.selectors.lists import stations_reached
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedModelAdmin
from unionhub.admin.views import AdminView
from unionhub.models.regions import Region, RegionLevel
from unionhub.personal import MOBILE, mask

MATCHES_SHOWN = 50


class VacancyForm(forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = ["station", *EDITABLE]  # the fields the services let staff change

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        if "employer" not in self.fields:
            self.instance.employer = None  # no access to the register: linked again by the typed credit code
        try:
            vacancy_validate(vacancy=self.instance)
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)


class CurrentFilter(admin.SimpleListFilter):
    title = _("shown to workers")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return CURRENT_CHOICES

    def queryset(self, request, queryset):
        return vacancies_current(queryset, self.value())


class CheckInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = VacancyCheck
    fields = ["checked_at", "checked_by", "passed", "minimum_wage", "good_standing", "reasons"]
    readonly_fields = fields
    extra = 0


@admin.register(Vacancy)
class VacancyAdmin(ScopedModelAdmin):
    form = VacancyForm
    scoped_base = staticmethod(vacancies_reached)
    list_display = [
        "title",
        "employer_name",
        "station",
        "posts",
        "filled_posts",
        "pay_display",
        "valid_until",
        "status",
    ]
    list_filter = [CurrentFilter, "status", "occupation", "station"]
    search_fields = ["employer_name", "employer_credit_code", "title"]
    date_hierarchy = "created_at"
    inlines = [CheckInline]
    # The employer from outreach's register, searched by name or credit code within the user's reach.
    autocomplete_fields = ["station", "employer"]
    readonly_fields = ["status", "filled_posts", "check_link"]
    fieldsets = [
        (_("employer"), {"fields": ["station", "employer", ("employer_name", "employer_credit_code")]}),
        (
            _("the job"),
            {
                "fields": [
                    ("title", "occupation"),
                    ("posts", "filled_posts"),
                    ("pay_basis", "pay_min", "pay_max", "monthly_estimate"),
                    "daily_hours",
                    ("town", "latitude", "longitude"),
                    "requirements",
                    ("contact", "contact_phone"),
                    "valid_until",
                ]
            },
        ),
        (_("check"), {"fields": ["status", "check_link"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "town" and field is not None:
            # The towns of the counties of the stations in reach: a station manager (no region of their own)
            # chooses the town too; the service keeps the town in the station's county.
            counties = {code[:6] for code in stations_reached(request.user).values_list("region_id", flat=True)}
            towns = Q(pk__in=[])
            for county in counties:
                towns |= Q(code__startswith=county)
            field.queryset = Region.objects.filter(towns, level=RegionLevel.TOWN).order_by("code")
        return field

    def get_fieldsets(self, request, obj=None):
        if request.user.has_perm("outreach.view_employer"):
            return self.fieldsets
        # Without the register (a station manager): the employer is typed, and linked by its credit code.
        first, *rest = self.fieldsets
        title, options = first
        return [(title, {**options, "fields": [f for f in options["fields"] if f != "employer"]}), *rest]

    @admin.display(description=_("pay"))
    def pay_display(self, obj):
        return f"{obj.pay_min}–{obj.pay_max} {obj.get_pay_basis_display()}"

    @admin.display(description=_("check and match"))
    def check_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        check = reverse("admin:employment_vacancy_check", args=[obj.pk])
        matches = reverse("admin:employment_vacancy_matches", args=[obj.pk])
        return format_html(
            '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
            check,
            gettext("Check before publishing (监督核查)"),
            matches,
            gettext("Matching job wishes"),
        )

    def save_model(self, request, obj, form, change):
        vacancy_save(vacancy=obj, user=request.user, changed=form.changed_data)

    def get_custom_views(self):
        view = ("employment.view_vacancy",)
        change = ("employment.view_vacancy", "employment.change_vacancy")
        return [
            AdminView("<path:object_id>/check/", self.check_view, "check", change, ("GET", "POST")),
            AdminView("<path:object_id>/matches/", self.matches_view, "matches", view, ("GET", "POST")),
            AdminView("figures/", self.figures_view, "figures", view),
            *super().get_custom_views(),
        ]

    def _context(self, request, obj, title):
        return {**self.admin_site.each_context(request), "opts": self.opts, "original": obj, "title": title}

    def check_view(self, request, obj):
        form = CheckForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                check = vacancy_check(vacancy=obj, user=request.user, good_standing=form.cleaned_data["good_standing"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                if check.passed:
                    messages.success(request, gettext("Checked and published."))
                else:
                    messages.warning(request, gettext("Refused: %(reasons)s") % {"reasons": check.reasons})
                return redirect("admin:employment_vacancy_change", obj.pk)
        preview = vacancy_check_reasons_preview(vacancy=obj)
        context = {**self._context(request, obj, gettext("Check before publishing")), "form": form, **preview}
        return TemplateResponse(request, "employment/admin/check.html", context)

    def matches_view(self, request, obj):
        if request.method == "POST":
            form = ReferForm(request.POST)
            wish = (
                wishes_reached(request.user).filter(pk=form.data.get("wish") or 0).first() if form.is_valid() else None
            )
            if wish is None:
                messages.error(request, gettext("Choose a job wish from the list."))
            else:
                try:
                    referral_make(vacancy=obj, wish=wish, user=request.user)
                    messages.success(request, gettext("Referral recorded."))
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
            return redirect("admin:employment_vacancy_matches", obj.pk)
        rows = wishes_for_vacancy(obj, queryset=wishes_reached(request.user))[:MATCHES_SHOWN]
        matches = [
            {
                "wish": wish,
                "mobile": mask(wish.mobile, MOBILE),
                "score": round(wish.score, 1),
                "distance": wish.distance_km,
            }
            for wish in rows
        ]
        context = {**self._context(request, obj, gettext("Matching job wishes")), "matches": matches}
        return TemplateResponse(request, "employment/admin/matches.html", context)

    def figures_view(self, request):
        form = PeriodForm(request.GET or None)
        start, end, group = form.period()
        user = request.user
        context = {
            **self._context(request, None, gettext("Employment figures")),
            "form": form,
            "start": start,
            "end": end,
            "figures": employment_figures(user=user, start=start, end=end, group=group),
            "titles": posts_by_title(user=user, start=start, end=end)[:20],
            "sheets": sheet_numbering(user=user, year=end.year),
            "fairs": fair_figures(user=user, start=start, end=end, online=False),
            "online": fair_figures(user=user, start=start, end=end, online=True),
        }
        return TemplateResponse(request, "employment/admin/figures.html", context)


@admin.register(MinimumWage)
class MinimumWageAdmin(ScopedModelAdmin):
    scoped_base = staticmethod(minimum_wages_reached)
    list_display = ["region", "monthly", "valid_from"]
    autocomplete_fields = ["region"]
