"""Employment's lists (``unionhub.lists``): each a scoped base (``<thing>s_reached``) and a list selector
(permission, scope, FilterSet, search). The admin's changelists and the workbench read them."""

from __future__ import annotations

from django.db.models import QuerySet

from employment.filtersets import (
    JobFairFilterSet,
    JobSheetFilterSet,
    JobWishFilterSet,
    MinimumWageFilterSet,
    ReferralFilterSet,
    VacancyFilterSet,
)
from employment.models import JobFair, JobSheet, JobWish, MinimumWage, Referral, Vacancy
from unionhub.lists import Filters, filtered, require_view
from unionhub.scoping import scope_queryset
from unionhub.search import text_search

VACANCY_SEARCH = ["employer_name", "employer_credit_code", "title"]
WISH_SEARCH = ["name", "skills"]


def _reached(model):
    def reached(user, queryset: QuerySet | None = None) -> QuerySet:
        return scope_queryset(model.objects.all() if queryset is None else queryset, user)

    reached.__doc__ = f"The {model._meta.verbose_name_plural} the user reaches (region or managed station)."
    return reached


vacancies_reached = _reached(Vacancy)
wishes_reached = _reached(JobWish)
referrals_reached = _reached(Referral)
sheets_reached = _reached(JobSheet)
fairs_reached = _reached(JobFair)
minimum_wages_reached = _reached(MinimumWage)


def vacancy_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Vacancy)
    return text_search(filtered(VacancyFilterSet, vacancies_reached(user), filters), search, VACANCY_SEARCH)


def wish_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, JobWish)
    return text_search(filtered(JobWishFilterSet, wishes_reached(user), filters), search, WISH_SEARCH)


def referral_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, Referral)
    return filtered(ReferralFilterSet, referrals_reached(user), filters)


def sheet_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, JobSheet)
    return filtered(JobSheetFilterSet, sheets_reached(user), filters)


def fair_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, JobFair)
    return text_search(filtered(JobFairFilterSet, fairs_reached(user), filters), search, ["name"])


def minimum_wage_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    require_view(user, MinimumWage)
    return filtered(MinimumWageFilterSet, minimum_wages_reached(user), filters)
