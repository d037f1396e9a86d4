"""Imports of the market-regulation employer list: the uploaded file from check to outcome, and its staging
rows. The check and the write each run as a ``unionhub.Job`` (``job`` is the latest)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.models.roster import ImportMode, ImportStatus
from unionhub.models.regions import Region, RegionLevel
from unionhub.scoping import scoped


class RowAction(models.TextChoices):
    CREATE = "create", _("new employer")
    UPDATE = "update", _("update")
    UNCHANGED = "unchanged", _("unchanged")
    ERROR = "error", _("error")


def employer_list_upload_to(instance, filename: str) -> str:
    return timezone.localtime().strftime("employer-lists/%Y/%m/") + filename


@scoped(region="county__code")
class EmployerImport(models.Model):
    """One employer list uploaded for a county: checked first (nothing written to the register), written when
    the uploader confirms. ``problems`` keeps the first errors as ``[{row, column, header, message}]``;
    ``errors`` counts the rows with any."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    county = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
        limit_choices_to={"level": RegionLevel.COUNTY},
    )
    file = models.FileField(_("file"), upload_to=employer_list_upload_to, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    mode = models.CharField(_("mode"), max_length=8, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("new employers"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    matched = models.PositiveIntegerField(_("matched to a union"), default=0)
    errors = models.PositiveIntegerField(_("rows with errors"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True, help_text=_("Why the file as a whole was refused or failed."))
    written = models.PositiveIntegerField(_("employers written"), default=0)
    job = models.ForeignKey(
        "unionhub.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("employer list import")
        verbose_name_plural = _("employer list imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.PREVIEWING, ImportStatus.IMPORTING)


@scoped(region="batch__county__code")
class EmployerImportRow(models.Model):
    """One valid row of an employer list, normalised by the check; classified against the register and matched
    to a union by credit code in SQL. Not shown in the admin on its own."""

    batch = models.ForeignKey(
        EmployerImport, on_delete=models.CASCADE, related_name="staged_rows", db_index=False, db_constraint=False
    )
    row_number = models.PositiveIntegerField()
    credit_code = models.CharField(max_length=18)
    name = models.CharField(max_length=100)
    town_id = models.CharField(max_length=12)
    industry = models.CharField(max_length=16)
    workers = models.PositiveIntegerField(default=0)
    is_platform = models.BooleanField(default=False)
    union_id = models.BigIntegerField(null=True)
    employer_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=10, choices=RowAction.choices, blank=True)

    class Meta:
        verbose_name = _("employer list row")
        verbose_name_plural = _("employer list rows")
        indexes = [
            models.Index(fields=["batch", "row_number"], name="employerrow_batch_row"),
            models.Index(fields=["batch", "credit_code"], name="employerrow_batch_code"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number}"
