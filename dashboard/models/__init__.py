"""Dashboard: the figures of the dashboard page as computed by the scheduled refresh."""

from dashboard.models.snapshots import DashboardSnapshot

__all__ = ["DashboardSnapshot"]
