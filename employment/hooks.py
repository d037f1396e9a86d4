"""What employment adds to other apps' pages (``unionhub.hooks``): a station's current vacancies and the
job-wish button on its public page, and the jobs link on the finder. Registered in ``EmploymentConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.urls import reverse

from employment.selectors.figures import employment_figures
from employment.selectors.public import current_vacancies, station_vacancies
from unionhub.models.regions import Region

SHOWN = 5


def station_actions(request, *, station) -> str:
    vacancies = list(station_vacancies(station)[:SHOWN])
    return render_to_string("employment/hooks/station_jobs.html", {"station": station, "vacancies": vacancies})


def finder_actions(request) -> str:
    """The newest current vacancies: one query (the finder's page keeps a fixed number of them)."""
    latest = list(current_vacancies()[:SHOWN])
    return render_to_string("employment/hooks/finder_jobs.html", {"vacancies": latest})


def dashboard_jobs_figures(*, user, year) -> dict | None:
    """The year's jobs figures per county in reach, for the dashboard's stored figures (its refresh job)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    figures = employment_figures(user=user, start=start, end=end, group="county")
    if not figures.rows:
        return None
    names = dict(Region.objects.filter(code__in=[row["name"] for row in figures.rows]).values_list("code", "name"))
    for row in figures.rows:
        row["name"] = names.get(row["name"], row["name"])
    return {"figures": figures, "start": start, "end": end}


def dashboard_jobs(request, year=None, sections=None, **context) -> str:
    """The year's jobs figures on the county dashboard (per county in reach), as the refresh job stored them, with
    a link to the figures page."""
    stored = (sections or {}).get("employment")
    if request is None or not request.user.has_perm("employment.view_vacancy") or not year or not stored:
        return ""
    url = (
        reverse("admin:employment_vacancy_figures")
        + f"?start={stored['start'].isoformat()}&end={stored['end'].isoformat()}"
    )
    return render_to_string(
        "employment/hooks/dashboard_jobs.html",
        {"figures": stored["figures"], "year": year, "url": url},
        request=request,
    )
