"""Printed job sheets: a station's 第N期 (issue) of the year, each print an edition (版)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.choices import SheetSize
from stations.models import Station
from unionhub.scoping import scoped


@scoped(region="station__region__code", station="station")
class JobSheet(models.Model):
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="job_sheets", verbose_name=_("station"))
    year = models.PositiveSmallIntegerField(_("year"))
    issue = models.PositiveSmallIntegerField(_("issue (期)"))
    edition = models.PositiveSmallIntegerField(_("edition (版)"))
    size = models.CharField(_("size"), max_length=8, choices=SheetSize.choices, default=SheetSize.A4)
    vacancies = models.ManyToManyField(
        "employment.Vacancy", blank=True, related_name="sheets", verbose_name=_("vacancies")
    )
    printed_at = models.DateTimeField(_("printed at"), default=timezone.now, editable=False)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = _("job sheet")
        verbose_name_plural = _("job sheets")
        ordering = ["-year", "-issue", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year", "issue", "edition"], name="job_sheet_number_once")
        ]

    def __str__(self) -> str:
        return _("%(year)s issue %(issue)s, edition %(edition)s") % {
            "year": self.year,
            "issue": self.issue,
            "edition": self.edition,
        }
