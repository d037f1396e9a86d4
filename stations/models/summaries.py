"""Station figures as rows kept by the database, so that no page or job reads ten million activities for them:
each station's latest activity date (which stations held none lately) and each station's month in figures
(the dashboard's twelve months).

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


@scoped(region="station__region__code", station="station")
class StationMonth(models.Model):
    """A station's month in figures - activities held, their participants, visitors counted - kept by the
    database like ``LastActivity`` (triggers on ``stations_activity`` and ``stations_visitorcount``, migration
    0016: each statement adds its rows' differences, grouped by station and month), so that the dashboard's
    twelve months read one row per station and month, not every activity and every day's count."""

    station = models.ForeignKey(
        Station, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("station")
    )
    month = models.DateField(_("month"))  # its first day
    activities = models.IntegerField(_("activities"), default=0)
    participants = models.BigIntegerField(_("participants"), default=0)
    visitors = models.BigIntegerField(_("visitors"), default=0)

    class Meta:
        verbose_name = _("station's month")
        verbose_name_plural = _("stations' months")
        constraints = [models.UniqueConstraint(fields=["station", "month"], name="stationmonth_one_per_month")]
        # A reach's months summed without reading the rows: by month, then the station its scope asks for.
        indexes = [
            models.Index(
                fields=["month", "station"],
                name="stationmonth_month",
                include=["activities", "participants", "visitors"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month:%Y-%m}"
