"""Reads of employment: querysets and figures for pages, exports and the dashboard."""

from employment.selectors.figures import employment_figures, fair_figures, posts_by_title, sheet_numbering
from employment.selectors.matching import vacancies_for_wish, wishes_for_vacancy
from employment.selectors.public import current_vacancies, station_vacancies
from employment.selectors.wages import minimum_wage_for

__all__ = [
    "current_vacancies",
    "employment_figures",
    "fair_figures",
    "minimum_wage_for",
    "posts_by_title",
    "sheet_numbering",
    "station_vacancies",
    "vacancies_for_wish",
    "wishes_for_vacancy",
]
