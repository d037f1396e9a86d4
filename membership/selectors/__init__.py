"""Membership selectors (reads)."""

from membership.selectors.applications import (  # noqa: F401
    ApplicationFigures,
    CountyFigures,
    application_figures,
    applications_with_prechecks,
    id_is_valid,
    member_counts_by_status,
    page_prechecks,
    pending_overdue_count,
    percentile,
)
