"""Large member exports, run in the background.

Kept apart on purpose: the project's one job mechanism (a core ``Job`` model, being built on another branch)
will take over the tracking fields here (status, progress, result, error, times) when the branches merge;
what stays is the export's own part - the filters, the format and the file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.models.regions import Region
from unionhub.scoping import scoped


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("ready to download")
    FAILED = "failed", _("failed")


@scoped(region="region__code")
class MemberExport(models.Model):
    """One export of a filtered member list (the changelist's query string, re-applied in the job, inside the
    requester's scope), streamed to a file. ID and mobile numbers are masked unless the requester may reveal
    them, exactly as in the admin's direct export; an export with full numbers is also logged as a reveal."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("scope")
    )
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    file_format = models.CharField(_("format"), max_length=4, choices=[("xlsx", "XLSX"), ("csv", "CSV")])
    revealed = models.BooleanField(_("full ID and mobile numbers"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("member export")
        verbose_name_plural = _("member exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_file_format_display()} #{self.pk} {self.created_at:%Y-%m-%d %H:%M}"
