"""Membership selectors (reads)."""

from membership.selectors.applications import (  # noqa: F401
    ApplicationFigures,
    CountyFigures,
    application_figures,
    applications_with_prechecks,
    id_is_valid,
    page_prechecks,
    member_counts_by_status,
    pending_overdue_count,
    percentile,
)
