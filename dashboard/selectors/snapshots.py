"""The dashboard's stored figures as the page shows them (computed by ``dashboard.services.snapshots``)."""

from __future__ import annotations

import logging
import pickle

from dashboard.heartbeats import scheduled_heartbeats
from dashboard.models import DashboardSnapshot

logger = logging.getLogger(__name__)


def snapshot_figures(snapshot: DashboardSnapshot, user) -> dict | None:
    """The stored figures for ``user`` (None while they are being computed), with what is read live added
    (when the scheduled tasks ran) and the application figures left out for a user who may not see the
    review queue. Figures stored by an older release that no longer load count as not computed yet."""
    if snapshot.figures is None:
        return None
    try:
        figures = pickle.loads(bytes(snapshot.figures))
    except Exception:
        logger.warning("dashboard figures %s could not be read; shown as being computed", snapshot.pk)
        return None
    if not user.has_perm("membership.view_membershipapplication"):
        figures["applications"] = None
        figures["charts"].pop("applications", None)
    figures["heartbeats"] = scheduled_heartbeats()
    figures["computed_at"] = snapshot.computed_at
    return figures


def snapshot_part(snapshot: DashboardSnapshot, key: str):
    """One part of the stored figures (the workbench's county table), None while not computed yet or when the
    stored figures predate that part."""
    if snapshot.figures is None:
        return None
    try:
        return pickle.loads(bytes(snapshot.figures)).get(key)
    except Exception:
        logger.warning("dashboard figures %s could not be read; shown as being computed", snapshot.pk)
        return None
