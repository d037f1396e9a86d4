"""Large member exports, written by a background job and downloaded by the user who asked for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.models.regions import Region
from unionhub.scoping import scoped


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


@scoped(region="region__code")
class MemberExport(models.Model):
    """One export of a filtered member list: what was asked (the changelist's query string, re-applied in the
    job inside the requester's scope), the format and the file. The work - status, progress, errors, times -
    is a ``unionhub.Job`` of kind ``membership.member_export`` (``job``). ID and mobile numbers are masked
    unless the requester may reveal them when asking (``revealed``), exactly as in the admin's direct export;
    an export with full numbers is logged as a reveal when the file is written, and downloaded only while the
    requester still holds that permission. Only the requester downloads the file."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("scope")
    )
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    # The list's search term (the private search keeps it out of URLs; it may be an ID or mobile number, so
    # the admin shows it masked).
    search = models.CharField(_("search"), max_length=200, blank=True)
    file_format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    revealed = models.BooleanField(_("full ID and mobile numbers"), default=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    job = models.ForeignKey(
        "unionhub.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )

    class Meta:
        verbose_name = _("member export")
        verbose_name_plural = _("member exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "created_at"], name="memberexport_requester")]

    def __str__(self) -> str:
        return f"{self.get_file_format_display()} #{self.pk} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"
