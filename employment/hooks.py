"""What employment adds to other apps' pages (``unionhub.hooks``): a station's current vacancies and the
job-wish button on its public page, and the jobs link on the finder. Registered in ``EmploymentConfig.ready``."""

from __future__ import annotations

from django.template.loader import render_to_string

from employment.selectors.public import current_vacancies, station_vacancies

SHOWN = 5


def station_actions(request, *, station) -> str:
    vacancies = list(station_vacancies(station)[:SHOWN])
    return render_to_string("employment/hooks/station_jobs.html", {"station": station, "vacancies": vacancies})


def finder_actions(request) -> str:
    """The newest current vacancies: one query (the finder's page keeps a fixed number of them)."""
    latest = list(current_vacancies()[:SHOWN])
    return render_to_string("employment/hooks/finder_jobs.html", {"vacancies": latest})
