"""The register of households in difficulty (建档立卡): the household, its people and income, the county's
criteria for each layer, and the decisions that put a household on file and take it off."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from membership.models import Member
from unionhub.models import Region, UnionOrganization
from unionhub.scoping import scoped

MONEY = {"max_digits": 12, "decimal_places": 2}


class Layer(models.TextChoices):
    DEEP = "deep", _("deep hardship")
    RELATIVE = "relative", _("relative hardship")
    ACCIDENT = "accident", _("hardship by accident")


class Cause(models.TextChoices):
    ILLNESS = "illness", _("serious illness")
    DISABILITY = "disability", _("disability")
    SCHOOLING = "schooling", _("children's schooling")
    UNEMPLOYMENT = "unemployment", _("unemployment")
    ACCIDENT = "accident", _("accident or disaster")
    OTHER = "other", _("other cause")


class HouseholdStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    VISITED = "visited", _("home visit recorded")
    REVIEWED = "reviewed", _("democratic review passed")
    NOTICE = "notice", _("on public notice")
    ON_FILE = "on_file", _("on file")
    REJECTED = "rejected", _("not accepted")
    LEFT = "left", _("left the register")


class Source(models.TextChoices):
    STAFF = "staff", _("filed by the union")
    WORKER = "worker", _("applied from a phone")


# No 0/O, 1/I/L: a reference is read out over the phone and typed on a phone keyboard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class LeaveReason(models.TextChoices):
    INCOME = "income", _("income above the threshold")
    MOVED = "moved", _("moved away")
    DECEASED = "deceased", _("deceased")
    REQUEST = "request", _("at their own request")


@scoped(region="county__code")
class CountyCriteria(models.Model):
    """A county's rules for one year: the local minimum-living standard (低保, yuan a month per head) and the
    multiples of it below which a household is in deep or relative hardship; how long a notice runs."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    minimum_living = models.DecimalField(_("minimum-living standard (yuan a month per head)"), **MONEY)
    deep_multiple = models.DecimalField(
        _("deep hardship below (times the standard)"), max_digits=4, decimal_places=2, default=Decimal("1.00")
    )
    relative_multiple = models.DecimalField(
        _("relative hardship below (times the standard)"), max_digits=4, decimal_places=2, default=Decimal("1.50")
    )
    notice_days = models.PositiveSmallIntegerField(_("public notice days"), default=7)
    notice_minimum_days = models.PositiveSmallIntegerField(_("shortest public notice allowed (days)"), default=5)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county hardship criteria")
        verbose_name_plural = _("county hardship criteria")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="hardship_criteria_once_a_year")]

    def __str__(self) -> str:
        return f"{self.county.name} {self.year}"

    def threshold(self, layer: str) -> Decimal:
        """Monthly income per head below which a household is in the layer (0 for accident: by event)."""
        multiple = {Layer.DEEP: self.deep_multiple, Layer.RELATIVE: self.relative_multiple}.get(layer)
        return (self.minimum_living * multiple).quantize(Decimal("0.01")) if multiple is not None else Decimal(0)


@scoped(region="union__region__code")
class Household(models.Model):
    """A household in difficulty, filed by a grassroots union; its head may be a member or not yet one."""

    union = models.ForeignKey(
        UnionOrganization, on_delete=models.PROTECT, related_name="+", verbose_name=_("grassroots union")
    )
    county = models.CharField(_("county code"), max_length=6, editable=False, db_index=True)
    head_name = models.CharField(_("head of household"), max_length=50)
    resident_id = models.CharField(_("resident ID number"), max_length=18)
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    layer = models.CharField(_("layer"), max_length=10, choices=Layer.choices)
    cause = models.CharField(_("cause of hardship"), max_length=12, choices=Cause.choices)
    people_count = models.PositiveSmallIntegerField(_("people in the household"), default=1)
    annual_income = models.DecimalField(_("household income a year (yuan)"), default=Decimal(0), **MONEY)
    bank_name = models.CharField(_("bank"), max_length=50, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=HouseholdStatus.choices, default="applied")
    applied_on = models.DateField(_("applied on"), default=timezone.localdate)
    notice_starts = models.DateField(_("notice starts"), null=True, blank=True)
    notice_ends = models.DateField(_("notice ends"), null=True, blank=True)
    filed_on = models.DateField(_("on file since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=10, choices=LeaveReason.choices, blank=True)
    leave_note = models.CharField(_("note on leaving"), max_length=200, blank=True)
    recheck_due = models.DateField(_("re-check due"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=6, choices=Source.choices, default=Source.STAFF)
    reference = models.CharField(_("reference number"), max_length=12, default=new_reference, editable=False)
    account = models.TextField(_("the difficulty in the worker's words"), max_length=1000, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household in difficulty")
        verbose_name_plural = _("households in difficulty")
        indexes = [
            models.Index(fields=["resident_id"], name="hardship_household_rid"),
            models.Index(fields=["county", "status"], name="hardship_household_county"),
        ]
        constraints = [models.UniqueConstraint(fields=["reference"], name="hardship_household_reference_unique")]

    def __str__(self) -> str:
        return self.head_name

    def save(self, *args, **kwargs):
        if self.union_id and not self.county:
            self.county = self.union.region_id[:6]
        super().save(*args, **kwargs)

    @property
    def income_per_head_month(self) -> Decimal:
        return (self.annual_income / 12 / max(self.people_count, 1)).quantize(Decimal("0.01"))


@scoped(region="household__union__region__code")
class HouseholdPerson(models.Model):
    class Relationship(models.TextChoices):
        HEAD = "head", _("head")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        OTHER = "other", _("other relative")

    class Health(models.TextChoices):
        HEALTHY = "healthy", _("healthy")
        CHRONIC = "chronic", _("chronic illness")
        SERIOUS = "serious", _("serious illness")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="people", verbose_name=_("household in difficulty")
    )
    name = models.CharField(_("name"), max_length=50)
    relationship = models.CharField(_("relationship"), max_length=8, choices=Relationship.choices)
    resident_id = models.CharField(_("resident ID number"), max_length=18, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), default=0)
    health = models.CharField(_("health"), max_length=8, choices=Health.choices, default="healthy")
    school = models.CharField(_("school or stage"), max_length=50, blank=True)
    is_student = models.BooleanField(_("student"), default=False)
    disabled = models.BooleanField(_("disabled"), default=False)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return self.name


@scoped(region="household__union__region__code")
class IncomeSource(models.Model):
    class Kind(models.TextChoices):
        WAGES = "wages", _("wages")
        PENSION = "pension", _("pension")
        ALLOWANCE = "allowance", _("allowances")
        OTHER = "other", _("other income")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="incomes", verbose_name=_("household in difficulty")
    )
    kind = models.CharField(_("kind of income"), max_length=10, choices=Kind.choices)
    annual_amount = models.DecimalField(_("yuan a year"), **MONEY, validators=[MinValueValidator(Decimal(0))])

    class Meta:
        verbose_name = _("income source")
        verbose_name_plural = _("income sources")

    def __str__(self) -> str:
        return self.get_kind_display()


class Step(models.TextChoices):
    APPLY = "apply", pgettext_lazy("hardship step", "application")
    VISIT = "visit", _("home visit")
    REVIEW = "review", _("democratic review")
    NOTICE = "notice", _("public notice")
    APPROVE = "approve", _("county approval")
    REJECT = "reject", _("not accepted")
    LEAVE = "leave", _("left the register")
    RECHECK = "recheck", _("re-check")


@scoped(region="household__union__region__code")
class HouseholdEvent(models.Model):
    """One step of a household's file: who decided what, when."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="events", verbose_name=_("household in difficulty")
    )
    step = models.CharField(_("step"), max_length=8, choices=Step.choices)
    note = models.TextField(_("record"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("file step")
        verbose_name_plural = _("file steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_step_display()


@scoped(region="household__union__region__code")
class Objection(models.Model):
    """An objection raised during the public notice; approval waits until every one is resolved."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="objections", verbose_name=_("household in difficulty")
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    content = models.TextField(_("objection"), max_length=1000)
    resolution = models.TextField(_("resolution"), blank=True)
    upheld = models.BooleanField(_("objection upheld"), default=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return str(self.received_on)


@scoped(region="household__union__region__code")
class Recheck(models.Model):
    """The yearly re-check of one household, opened by the re-check job."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="rechecks", verbose_name=_("household in difficulty")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("finding"), max_length=200, blank=True)
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True, editable=False)
    overdue_reminded_on = models.DateField(_("overdue reminder sent on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("yearly re-check")
        verbose_name_plural = _("yearly re-checks")
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="hardship_recheck_once_a_year")]

    def __str__(self) -> str:
        return f"{self.household} {self.year}"
