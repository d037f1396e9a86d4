"""What outreach adds to other apps' pages: the county's headline targets and their progress on the dashboard."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from outreach.selectors import headline_projects
from outreach.selectors.lists import projects_reached


def dashboard_targets_figures(*, user, year) -> list:
    """The county's headline targets of the year with their progress, for the dashboard's stored figures."""
    return [
        {"project": project, "done": done, "percent": percent, "bar": min(100, int(percent))}
        for project, done, percent in headline_projects(projects_reached(user), year)
    ]


def dashboard_targets(request, year=None, sections=None, **context) -> str:
    rows = (sections or {}).get("outreach")
    if request is None or not request.user.has_perm("outreach.view_serviceproject") or not year or not rows:
        return ""
    return render_to_string(
        "outreach/dashboard_targets.html",
        {"rows": rows, "year": year, "list_url": reverse("admin:outreach_serviceproject_changelist")},
        request=request,
    )
