"""The one record of long-running work: roster checks and imports, bulk decisions, subsidy runs, exports, sweeps."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.jobkinds import job_kind_label
from unionhub.models.regions import Region
from unionhub.scoping import scoped


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


@scoped(region="region__code")
class Job(models.Model):
    """One piece of long-running work, whatever its kind, from queued to done or failed.

    ``kind`` is the name of the Celery task that carries it out (``membership.roster_check``); the task takes
    the job's id, claims it (only a queued job is started, so a message delivered twice does the work once),
    reports progress as ``done`` of ``total`` with a ``stage`` text and ends it with a ``result`` summary or an
    ``error`` in Chinese. ``target`` is what it works on (a roster import, a subsidy run); ``region`` is the
    starting user's region, which scopes the job like everything else. Progress written while the work holds
    a transaction open is published through the cache (a row updated inside the transaction would be
    invisible to others until it commits) and stored on the row when the job ends; ``heartbeat_at`` lets a
    scheduled sweep fail a job whose worker vanished."""

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="job_target"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return str(job_kind_label(self.kind))

    @property
    def progress_key(self) -> str:
        return f"unionhub:job:{self.pk}:progress"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def progress_now(self) -> tuple[int, int, str]:
        """(done, total, stage): from the cache while the job runs, else as stored."""
        if self.status == JobStatus.RUNNING:
            published = cache.get(self.progress_key)
            if published:
                return published[0], published[1], published[2]
        return self.done, self.total, self.stage

    @property
    def percent(self) -> int | None:
        done, total, _stage = self.progress_now()
        if self.status == JobStatus.DONE:
            return 100
        return min(100, int(done * 100 / total)) if total else None


class Heartbeat(models.Model):
    """When a scheduled task last ran, and what it found: one row per task, overwritten at every run.

    Written by every run that Celery beat starts (the job sweep every five minutes, so its row says whether
    beat is alive); read by ``/healthz`` and shown on the dashboard. Holds nothing personal."""

    name = models.CharField(_("task"), max_length=60, primary_key=True)
    at = models.DateTimeField(_("last run"))
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("scheduled task heartbeat")
        verbose_name_plural = _("scheduled task heartbeats")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
