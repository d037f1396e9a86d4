"""Mediation agreements (调解协议书), their arbitration review (仲裁审查) and instalments (分期付款)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.choices import EnforcementKind, ReviewResult
from casework.models.mediation import MONEY, MediationCase
from unionhub.scoping import scoped


@scoped(region="case__station__region__code", station="case__station")
class Agreement(models.Model):
    """The signed settlement of a case. Saving it (through ``agreement_sign``) settles the case.

    Optionally sent to the arbitration institute for review; a confirmed review issues an arbitral mediation
    document (调解书) that can be enforced."""

    case = models.OneToOneField(
        MediationCase, on_delete=models.CASCADE, related_name="agreement", verbose_name=_("case")
    )
    signed_on = models.DateField(_("signed on"))
    terms = models.TextField(_("terms"))
    review_requested_on = models.DateField(_("sent for arbitration review on"), null=True, blank=True)
    review_result = models.CharField(_("arbitration review"), max_length=10, choices=ReviewResult.choices, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_document_number = models.CharField(_("mediation document number"), max_length=60, blank=True)
    judicial_applied_on = models.DateField(_("judicial confirmation applied for on"), null=True, blank=True)
    judicial_result = models.CharField(
        _("judicial confirmation"), max_length=10, choices=ReviewResult.choices, blank=True
    )
    judicial_ruling_number = models.CharField(_("court ruling number"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewed_on__isnull=True) | models.Q(review_requested_on__isnull=False),
                name="agreement_review_needs_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {_('mediation agreement')}"

    def clean(self) -> None:
        errors = {}
        if self.reviewed_on and not self.review_requested_on:
            errors["review_requested_on"] = _("Give the date it was sent for review.")
        if self.reviewed_on and self.review_requested_on and self.reviewed_on < self.review_requested_on:
            errors["reviewed_on"] = _("A review cannot come before it was asked for.")
        if self.review_result in (ReviewResult.CONFIRMED, ReviewResult.REFUSED) and not self.reviewed_on:
            errors["reviewed_on"] = _("Give the date of the review.")
        if self.signed_on and self.case_id and self.signed_on < self.case.received_on:
            errors["signed_on"] = _("An agreement cannot be signed before the case was received.")
        if errors:
            raise ValidationError(errors)


@scoped(region="agreement__case__station__region__code", station="agreement__case__station")
class Instalment(models.Model):
    """One payment the employer owes under an agreement; overdue while unpaid after its due date."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="instalments", verbose_name=_("agreement")
    )
    sequence = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    amount_paid = models.DecimalField(_("paid (yuan)"), default=Decimal("0"), **MONEY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["agreement", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "sequence"], name="instalment_unique_sequence"),
            models.CheckConstraint(
                condition=models.Q(amount_paid__lte=models.F("amount")), name="instalment_not_overpaid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.case} #{self.sequence}"

    @property
    def is_paid(self) -> bool:
        return self.amount_paid >= self.amount

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return not self.is_paid and self.due_on < (today or dt.date.today())

    def clean(self) -> None:
        if self.amount_paid and self.amount and self.amount_paid > self.amount:
            raise ValidationError({"amount_paid": _("More than the instalment's amount.")})
        if self.amount_paid and not self.paid_on:
            raise ValidationError({"paid_on": _("Give the date of the payment.")})


@scoped(region="agreement__case__station__region__code", station="agreement__case__station")
class AgreementAmendment(models.Model):
    """A later version of a signed agreement: the signed text never changes, an amendment is signed anew with its
    reason and printed on its own (``agreement_amend``)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("agreement")
    )
    version = models.PositiveSmallIntegerField(_("version"), editable=False)
    signed_on = models.DateField(_("signed on"))
    reason = models.CharField(_("reason for the amendment"), max_length=300)
    terms = models.TextField(_("amended terms"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement amendment")
        verbose_name_plural = _("agreement amendments")
        ordering = ["agreement", "version"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version"], name="agreementamendment_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.case} v{self.version}"


@scoped(region="agreement__case__station__region__code", station="agreement__case__station")
class EnforcementStep(models.Model):
    """What was done when the employer did not pay as agreed: arbitration on non-performance or a payment order
    (支付令, 劳动争议调解仲裁法 第十六条)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="enforcement_steps", verbose_name=_("agreement")
    )
    kind = models.CharField(_("next step"), max_length=12, choices=EnforcementKind.choices)
    taken_on = models.DateField(_("taken on"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step on non-payment")
        verbose_name_plural = _("steps on non-payment")
        ordering = ["agreement", "taken_on"]

    def __str__(self) -> str:
        return f"{self.agreement.case} {self.get_kind_display()}"
