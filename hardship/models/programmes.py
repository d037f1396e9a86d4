"""Assistance programmes (帮扶项目), their cycles and the entitlements a cycle computes (OpenSPP's model)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.models.funds import Fund
from hardship.models.households import MONEY, Household, HouseholdPerson
from unionhub.models import Region
from unionhub.scoping import scoped


class AmountRule(models.TextChoices):
    FIXED = "fixed", _("fixed amount")
    BY_LAYER = "by_layer", _("by layer")
    BY_PEOPLE = "by_people", _("per person in the household")
    COSTS = "costs", _("costs submitted, up to the cap")


class PersonCondition(models.TextChoices):
    ANY = "any", _("anyone")
    STUDENT = "student", _("students")
    SERIOUS = "serious", _("serious illness")
    DISABLED = "disabled", _("disabled")


@scoped(region="county__code")
class Programme(models.Model):
    """A programme: who is eligible (layers, per household or per person), exclusive with which others, how
    much (the amount rule) and from which fund."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    name = models.CharField(_("name"), max_length=50)
    layers = models.CharField(
        _("layers (comma-separated: deep, relative, accident)"), max_length=40, default="deep,relative,accident"
    )
    per_person = models.BooleanField(_("one per person (else one per household)"), default=False)
    person_condition = models.CharField(
        _("people eligible"), max_length=10, choices=PersonCondition.choices, default="any"
    )
    exclusive_with = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("not together with"))
    rule = models.CharField(_("amount rule"), max_length=10, choices=AmountRule.choices, default="fixed")
    amount = models.DecimalField(_("amount (yuan)"), default=Decimal(0), **MONEY)
    amount_deep = models.DecimalField(_("amount for deep hardship"), default=Decimal(0), **MONEY)
    amount_relative = models.DecimalField(_("amount for relative hardship"), default=Decimal(0), **MONEY)
    amount_accident = models.DecimalField(_("amount for hardship by accident"), default=Decimal(0), **MONEY)
    cap = models.DecimalField(_("cap (yuan)"), null=True, blank=True, **MONEY)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("fund"))
    in_kind = models.BooleanField(_("given in kind"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assistance programme")
        verbose_name_plural = _("assistance programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def layer_list(self) -> list[str]:
        return [part.strip() for part in self.layers.split(",") if part.strip()]


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    COMPUTING = "computing", _("computing")
    PROPOSED = "proposed", _("awaiting approval")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")


@scoped(region="programme__county__code")
class Cycle(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("assistance programme")
    )
    name = models.CharField(_("name"), max_length=50)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    status = models.CharField(_("status"), max_length=10, choices=CycleStatus.choices, default="draft")
    total = models.DecimalField(_("total (yuan)"), default=Decimal(0), **MONEY)
    entitlement_count = models.PositiveIntegerField(_("entitlements"), default=0)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme cycle")
        verbose_name_plural = _("programme cycles")
        constraints = [models.UniqueConstraint(fields=["programme", "period_start"], name="hardship_cycle_once")]

    def __str__(self) -> str:
        return f"{self.programme} {self.name}"

    @property
    def is_locked(self) -> bool:
        return self.status in (CycleStatus.APPROVED, CycleStatus.PAID)


@scoped(region="household__union__region__code")
class CostClaim(models.Model):
    """Costs a household submitted to a programme whose amount is capped by costs (medical bills, fees)."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="costs", verbose_name=_("household in difficulty")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="costs", verbose_name=_("assistance programme")
    )
    amount = models.DecimalField(_("costs (yuan)"), **MONEY)
    note = models.CharField(_("what for"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("costs submitted")
        verbose_name_plural = _("costs submitted")

    def __str__(self) -> str:
        return f"{self.household} {self.amount}"


class PaymentStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")
    FAILED = "failed", _("payment failed")
    RETURNED = "returned", _("returned")
    REISSUED = "reissued", _("re-issued")


@scoped(region="household__union__region__code")
class Entitlement(models.Model):
    """What one household (or one person of it) is due from one cycle, and what became of the payment."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="entitlements", verbose_name=_("programme cycle")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="entitlements", verbose_name=_("household in difficulty")
    )
    person = models.ForeignKey(
        HouseholdPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household member"),
        db_index=False,  # mostly empty: a partial index below
    )
    person_key = models.PositiveBigIntegerField(default=0, editable=False)  # the person's id, 0 for a household
    county = models.CharField(_("county code"), max_length=6, editable=False)
    layer = models.CharField(_("layer"), max_length=10, editable=False)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=PaymentStatus.choices, default="proposed")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    reissue_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-issue of"),
        db_index=False,  # mostly empty: a partial index below
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    receipt_signed_by = models.CharField(_("receipt signed by"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "household", "person_key"],
                condition=models.Q(reissue_of__isnull=True),
                name="hardship_entitlement_once",
            )
        ]
        # The household's own foreign-key index serves the exclusivity check; person and re-issue are empty for
        # almost every row, so their indexes hold only the rows that have one (a cycle's insert stays light).
        indexes = [
            models.Index(fields=["person"], condition=models.Q(person__isnull=False), name="hardship_ent_person"),
            models.Index(
                fields=["reissue_of"], condition=models.Q(reissue_of__isnull=False), name="hardship_ent_reissue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.household}"
