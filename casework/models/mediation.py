"""Labour-dispute mediation cases: parties, claims, mediators and meetings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from casework.choices import CaseSource, CaseStatus, MeetingMode, PartyRole, RequestCategory
from casework.models.requests import WorkerRequest
from stations.models import Station
from unionhub.models import UnionOrganization
from unionhub.scoping import scoped
from unionhub.validators import normalize_credit_code

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


@scoped(region="station__region__code", station="station")
class MediationCase(models.Model):
    """A dispute mediated by a station's mediation team (劳动关系调解队).

    Opened from a worker's request, at the station's desk, or on a court's entrustment (委托调解, with the
    court's case number). The statutory period runs 15 calendar days from receipt (劳动争议调解仲裁法 第十四条):
    with no agreement by then a party may apply for arbitration. A case is closed with exactly one outcome:
    settled (with an agreement), not settled (referred to arbitration on a date) or withdrawn."""

    number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("mediation desk")
    )
    source = models.CharField(_("source"), max_length=10, choices=CaseSource.choices, default=CaseSource.DESK)
    # A request can come back after a case closed (the worker reopens it) and be mediated again: a foreign key,
    # with at most one open case per request (constraint below).
    request = models.ForeignKey(
        WorkerRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediation_cases",
        verbose_name=_("worker's request"),
    )
    court_name = models.CharField(_("entrusting court"), max_length=100, blank=True)
    court_case_number = models.CharField(_("court case number"), max_length=60, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=RequestCategory.choices)
    summary = models.TextField(_("what the dispute is about"))
    received_on = models.DateField(_("received on"))
    rights_known_on = models.DateField(
        _("worker knew of the infringement on"),
        null=True,
        blank=True,
        help_text=_("Starts the one-year arbitration limitation (劳动争议调解仲裁法 第二十七条)."),
    )
    incident_on = models.DateField(
        _("date of the accident or diagnosis"),
        null=True,
        blank=True,
        help_text=_("Work injury: starts the recognition deadlines (工伤保险条例 第十七条)."),
    )
    status = models.CharField(
        pgettext_lazy("mediation case", "outcome"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_on = models.DateField(pgettext_lazy("mediation case", "closed on"), null=True, blank=True)
    arbitration_referred_on = models.DateField(_("referred to arbitration on"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=CaseStatus.OPEN, closed_on__isnull=True)
                | (~models.Q(status=CaseStatus.OPEN) & models.Q(closed_on__isnull=False)),
                name="mediationcase_closed_iff_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(source=CaseSource.COURT) | ~models.Q(court_case_number=""),
                name="mediationcase_court_needs_case_number",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status=CaseStatus.OPEN),
                name="mediationcase_one_open_case_per_request",
            ),
        ]
        indexes = [models.Index(fields=["received_on"], name="mediationcase_received")]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        errors = {}
        if self.source == CaseSource.COURT and not self.court_case_number.strip():
            errors["court_case_number"] = _("A court-entrusted case needs the court's case number.")
        if self.source == CaseSource.REQUEST and not self.request_id:
            errors["request"] = _("Choose the worker's request this case comes from.")
        if self.closed_on and self.status == CaseStatus.OPEN:
            errors["status"] = _("A case is closed with an outcome: settled, not settled or withdrawn.")
        if self.status != CaseStatus.OPEN and not self.closed_on:
            errors["closed_on"] = _("Give the date the case was closed.")
        if self.closed_on and self.received_on and self.closed_on < self.received_on:
            errors["closed_on"] = _("A case cannot close before it was received.")
        if self.status == CaseStatus.NOT_SETTLED and not self.arbitration_referred_on:
            errors["arbitration_referred_on"] = _("Give the date the parties were referred to arbitration.")
        if self.status == CaseStatus.SETTLED and self.pk and not hasattr(self, "agreement"):
            errors["status"] = _("Record the mediation agreement first; saving it settles the case.")
        if errors:
            raise ValidationError(errors)

    @property
    def worker_count(self) -> int:
        return sum(1 for party in self.parties.all() if party.role == PartyRole.WORKER)

    @property
    def is_group_dispute(self) -> bool:
        return self.worker_count > 1


@scoped(region="case__station__region__code", station="case__station")
class CaseMediator(models.Model):
    """A member of the station's mediation team working on a case (matched by name against the team list by
    ``casework.services.mediation.mediator_check``: the service that adds one, and the admin's inline)."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="mediators", verbose_name=_("case"))
    name = models.CharField(_("mediator"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user account"),
    )

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        constraints = [models.UniqueConstraint(fields=["case", "name"], name="casemediator_once_per_case")]

    def __str__(self) -> str:
        return self.name


@scoped(region="case__station__region__code", station="case__station")
class Party(models.Model):
    """A party to the dispute: one or many workers (a group dispute) and the employer."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties", verbose_name=_("case"))
    role = models.CharField(_("party"), max_length=10, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=100)
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    union = models.ForeignKey(
        UnionOrganization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("union")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case", "-role", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.role == PartyRole.EMPLOYER and self.credit_code:
            try:
                self.credit_code = normalize_credit_code(self.credit_code)
            except ValidationError as exc:
                raise ValidationError({"credit_code": exc.messages}) from None
        if self.role == PartyRole.WORKER and self.credit_code:
            raise ValidationError({"credit_code": _("Only the employer has a unified social credit code.")})


@scoped(region="case__station__region__code", station="case__station")
class ClaimItem(models.Model):
    """One thing claimed (wages for some months, compensation, …), in yuan: claimed, then agreed.

    Agreeing to more than was claimed happens (interest, a later-found month) but needs a reason."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="claims", verbose_name=_("case"))
    party = models.ForeignKey(
        Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims", verbose_name=_("worker")
    )
    description = models.CharField(_("claim"), max_length=200)
    amount_claimed = models.DecimalField(_("claimed (yuan)"), **MONEY)
    amount_agreed = models.DecimalField(_("agreed (yuan)"), null=True, blank=True, **MONEY)
    above_claim_reason = models.CharField(_("why more than claimed"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_agreed__isnull=True)
                | models.Q(amount_agreed__lte=models.F("amount_claimed"))
                | ~models.Q(above_claim_reason=""),
                name="claimitem_agreed_above_claimed_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        if (
            self.amount_agreed is not None
            and self.amount_claimed is not None
            and self.amount_agreed > self.amount_claimed
            and not self.above_claim_reason.strip()
        ):
            raise ValidationError(
                {"above_claim_reason": _("The agreed amount is more than was claimed: give the reason.")}
            )
        if self.party_id and self.party.role != PartyRole.WORKER:
            raise ValidationError({"party": _("Claims are made by a worker.")})


@scoped(region="case__station__region__code", station="case__station")
class Meeting(models.Model):
    """A mediation session, in person or online, with its notes."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("case"))
    held_at = models.DateTimeField(_("held at"))
    mode = models.CharField(_("how"), max_length=10, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    place = models.CharField(_("place or link"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("mediation meeting")
        verbose_name_plural = _("mediation meetings")
        ordering = ["case", "held_at"]

    def __str__(self) -> str:
        return f"{self.case} {self.held_at:%Y-%m-%d}"
