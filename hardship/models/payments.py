"""What the bank said about a cycle's payments: one imported result file (回盘文件), checked as a whole and
held as a plan until staff confirm it; the plan names each entitlement and what it becomes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hardship.models.programmes import Cycle
from unionhub.scoping import scoped


class ImportStatus(models.TextChoices):
    STAGED = "staged", _("checked, awaiting confirmation")
    APPLYING = "applying", _("being recorded")
    APPLIED = "applied", _("recorded")


@scoped(region="cycle__programme__county__code")
class PaymentImport(models.Model):
    """One bank result file for one cycle. ``plan``: [entitlement id, status before, status after, reason,
    row] for every row that changes something; rows that change nothing are only counted."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="payment_imports", verbose_name=_("programme cycle")
    )
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("file checksum"), max_length=64, editable=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    paid = models.PositiveIntegerField(_("paid"), default=0)
    failed = models.PositiveIntegerField(_("payment failed"), default=0)
    returned = models.PositiveIntegerField(_("returned"), default=0)
    unchanged = models.PositiveIntegerField(_("already recorded"), default=0)
    plan = models.JSONField(_("changes"), default=list, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default="staged")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank result file")
        verbose_name_plural = _("bank result files")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.filename}"

    @property
    def changes(self) -> int:
        return len(self.plan)
