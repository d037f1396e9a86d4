"""When each scheduled task last ran, for the dashboard: the heartbeats that scheduled runs leave."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.jobkinds import BEAT_HEARTBEAT, job_kind_label
from unionhub.models import Heartbeat

# A task silent for longer than this is marked late (its schedule is every minute to every night).
LATE_AFTER = {BEAT_HEARTBEAT: dt.timedelta(minutes=3)}
DEFAULT_LATE_AFTER = dt.timedelta(hours=26)


def scheduled_heartbeats(now: dt.datetime | None = None) -> list[dict]:
    """One row per scheduled task that has run: its name in Chinese, when it last ran, whether it is late."""
    now = now or timezone.now()
    rows = []
    for beat in Heartbeat.objects.order_by("name"):
        label = _("job sweep") if beat.name == BEAT_HEARTBEAT else job_kind_label(beat.name)
        late = now - beat.at > LATE_AFTER.get(beat.name, DEFAULT_LATE_AFTER)
        rows.append({"name": beat.name, "label": label, "at": beat.at, "late": late, "result": beat.result})
    return rows
