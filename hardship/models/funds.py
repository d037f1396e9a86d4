"""Funds per source and every movement of their money: allocations in, spending out, returns."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unionhub.models import Region
from unionhub.scoping import scoped

MONEY = {"max_digits": 14, "decimal_places": 2}


class FundSource(models.TextChoices):
    CENTRAL = "central", _("central-finance hardship fund")
    UNION = "union", _("union funds")
    DONATION_MONEY = "donation", _("donation in money")
    DONATION_GOODS = "goods", _("donation in goods")


@scoped(region="county__code")
class Fund(models.Model):
    """One source of money. ``balance`` = allocations - spending + returns, kept by the services under a
    row lock and never below zero (a check constraint as the last guard)."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    name = models.CharField(_("name"), max_length=80)
    source = models.CharField(_("source"), max_length=10, choices=FundSource.choices)
    donor = models.CharField(_("donor"), max_length=100, blank=True)
    balance = models.DecimalField(_("balance (yuan)"), default=Decimal(0), editable=False, **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assistance fund")
        verbose_name_plural = _("assistance funds")
        constraints = [models.CheckConstraint(condition=models.Q(balance__gte=0), name="hardship_fund_not_negative")]

    def __str__(self) -> str:
        return self.name


class MovementKind(models.TextChoices):
    ALLOCATION = "allocation", _("allocation received")
    SPENDING = "spending", _("spending")
    RETURN = "return", _("payment returned")


@scoped(region="fund__county__code")
class FundMovement(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="movements", verbose_name=_("fund"))
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    cycle = models.ForeignKey(
        "hardship.Cycle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme cycle"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("fund movement")
        verbose_name_plural = _("fund movements")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
