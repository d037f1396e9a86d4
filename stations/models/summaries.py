"""Each station's latest activity date as a row kept by the database, so that no page asks ten million
activities which stations held none lately.

``LastActivity`` holds, per station, the date of its latest activity (empty once its last activity is
deleted). Triggers on ``stations_activity`` (migration 0014) keep it in the statement that inserts, updates or
deletes activities - the day log's save, the admin's change and delete, a demo's ``bulk_create``, a
``COPY`` alike - so the date commits or rolls back with the change: on PostgreSQL one statement-level
trigger per operation over its transition tables, on SQLite row-level triggers.
``stations.services.summaries.last_activity_rebuild`` recomputes it from the activities (the repair).

Nothing in Python writes it, and it has no foreign-key constraint: a station's deletion leaves its row
behind (keys are never reused), where no station list meets it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.models.station import Station
from unionhub.scoping import scoped


@scoped(region="station__region__code", station="station")
class LastActivity(models.Model):
    station = models.OneToOneField(
        Station,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
        verbose_name=_("station"),
    )
    date = models.DateField(_("latest activity"), null=True)

    class Meta:
        verbose_name = _("station's latest activity")
        verbose_name_plural = _("stations' latest activities")
        indexes = [models.Index(fields=["date"], name="lastactivity_date")]

    def __str__(self) -> str:
        return f"{self.station_id}: {self.date}"
