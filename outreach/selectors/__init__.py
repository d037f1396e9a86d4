"""Outreach's reads. The list selectors live in ``outreach.selectors.lists`` (not re-exported)."""

from outreach.selectors.figures import (
    Coverage,
    coverage_by_town,
    desk_applications,
    desk_figures,
    event_figures,
    funnel,
    headline_projects,
    project_percent,
    project_progress,
)

__all__ = [
    "Coverage",
    "coverage_by_town",
    "desk_applications",
    "desk_figures",
    "event_figures",
    "funnel",
    "headline_projects",
    "project_percent",
    "project_progress",
]
