"""The scheduled refresh of the dashboard's figures, as a job (Celery beat, every five minutes)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dashboard.services.snapshots import REFRESH_JOB, dashboard_refresh
from unionhub.tasks.jobs import job_task


@job_task(REFRESH_JOB, label=_("dashboard figures"), idempotent=True)
def dashboard_figures_refresh(job, progress) -> dict:
    """Compute every stored reach's figures again; safe to run twice."""
    return dashboard_refresh(progress=progress)
