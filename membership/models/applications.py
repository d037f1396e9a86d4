"""Online membership applications and the bulk review jobs that decide them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.choices import ApplicationStatus, BatchAction, BatchStatus, Channel
from membership.models.members import Member
from membership.models.person import PersonalDetails
from stations.models import Station
from unionhub.db.indexes import tail_index, trigram_index
from unionhub.models.regions import Region, RegionLevel, UnionOrganization
from unionhub.scoping import scoped
from unionhub.validators import halfwidth

# Unambiguous characters only (no 0/O, 1/I/L), so a reference read out over the phone is typed right.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def reference_normalize(value: str) -> str:
    """What a worker types back: spaces, dashes, lowercase and full-width letters are all accepted."""
    return "".join(ch for ch in halfwidth(value or "").upper() if ch.isalnum())


def decision_promise() -> dt.timedelta:
    """The time within which an application should be decided (30 minutes, as in Xiamen)."""
    return dt.timedelta(minutes=settings.MEMBERSHIP_DECISION_PROMISE_MINUTES)


def holder_county_sql(connection) -> str:
    """The register's answer to "is this ID number (one parameter) a member, and of which county?", as a
    scalar subquery in plain SQL: the public join POST's INSERT embeds it (``application_submit``), where an
    ORM query would be built afresh on every submission."""
    quote = connection.ops.quote_name
    return (
        f"(SELECT SUBSTR(u.region_id, 1, 6) FROM {quote(Member._meta.db_table)} m "
        f"JOIN {quote(UnionOrganization._meta.db_table)} u ON u.id = m.union_id WHERE m.resident_id = %s)"
    )


@scoped(region="county__code", county="county__code")
class MembershipApplication(PersonalDetails):
    """What a worker submitted on the public join page, where it came from, and the county's decision.

    ``county`` routes the application to the county staff who review it, before any union is known: it is
    the county of the union (chosen by the worker or given by a union's QR code), else of the station whose
    QR code was scanned, else the county the worker chose, else the county that issued the ID number (its
    first six digits), if this system serves it. The worker finds the decision with the reference number
    and the mobile number.

    Applications keep no simple-history trail: submission is the hot path (one INSERT) and the decision is
    recorded on the row itself (who, when, why)."""

    reference = models.CharField(_("reference number"), max_length=REFERENCE_LENGTH, unique=True, editable=False)
    union = models.ForeignKey(
        UnionOrganization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("union"),
        help_text=_("Left empty, an approved member goes to the county's holding-pool union (周转库)."),
    )
    county = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
        limit_choices_to={"level": RegionLevel.COUNTY},
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.DIRECT)
    source_station = models.ForeignKey(
        Station,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("QR code of station"),
    )
    source_union = models.ForeignKey(
        UnionOrganization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("QR code of union"),
    )
    event = models.CharField(_("event"), max_length=50, blank=True, help_text=_("A pop-up joining desk, if any."))
    consent_version = models.CharField(_("personal-information notice version"), max_length=20)
    consented_at = models.DateTimeField(_("consent given"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=8, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("member"),
    )
    notified_at = models.DateTimeField(_("worker notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="application_queue"),
            # A county's (or a city's) queue, oldest first, and its counts on the workbench: the pending
            # applications only, a small index however many have been decided.
            models.Index(
                fields=["county", "submitted_at"],
                name="application_county_pending",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["county", "submitted_at"], name="application_county_time"),
            models.Index(fields=["submitted_at", "id"], name="application_time_order"),
            models.Index(fields=["mobile"], name="application_mobile"),
            tail_index("mobile", name="application_mobile_tail"),
            tail_index("resident_id", name="application_resident_id_tail"),
            trigram_index("name", name="application_name_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ApplicationStatus.REJECTED) | ~models.Q(rejection_reason=""),
                name="application_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.union_id:
            # The union decides the county: an application follows its union into that county's queue - unless
            # the person is a member already: then it is a transfer request, decided by the member's county.
            county = self.union.region_id[:6]
            if len(county) < 6:
                raise ValidationError({"union": _("Choose a union inside a county.")})
            self.county_id = self.holder_county() or county
        if self.status == ApplicationStatus.REJECTED and not self.rejection_reason.strip():
            raise ValidationError({"rejection_reason": _("Give the worker a reason for the rejection.")})

    def holder_county(self) -> str | None:
        """The county of the union of the member who has this ID number, if there is one. ``application_submit``
        asks the same inside its INSERT, and sets ``_holder_county`` while it validates so that it is not
        asked twice."""
        if hasattr(self, "_holder_county"):
            return self._holder_county
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(f"SELECT {holder_county_sql(connections[DEFAULT_DB_ALIAS])}", [self.resident_id])
            row = cursor.fetchone()
        return row[0] if row else None

    @property
    def is_pending(self) -> bool:
        return self.status == ApplicationStatus.PENDING

    def waited(self, now: dt.datetime | None = None) -> dt.timedelta:
        """How long the worker waited (or has been waiting) for a decision."""
        end = self.decided_at or now or timezone.now()
        return end - self.submitted_at

    def overdue(self, now: dt.datetime | None = None) -> bool:
        return self.waited(now) > decision_promise()


@scoped(region="region__code")
class ReviewBatch(models.Model):
    """A bulk decision too large to make inside one web request, carried out as a background job.

    The job (``unionhub.Job``) decides all its applications in one transaction, all or nothing, and holds
    the state, progress and outcome (decided and skipped in its result). ``region`` is the requesting user's
    region, which scopes the batch."""

    action = models.CharField(_("action"), max_length=8, choices=BatchAction.choices)
    reason = models.TextField(_("reason for rejection"), blank=True)
    application_ids = models.JSONField(_("applications"), default=list, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    total = models.PositiveIntegerField(_("applications"), default=0)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    job = models.ForeignKey(
        "unionhub.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )

    class Meta:
        verbose_name = _("bulk review job")
        verbose_name_plural = _("bulk review jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_action_display()} × {self.total}"

    # The job's state, read as the batch's own.
    @property
    def status(self) -> str:
        return self.job.status if self.job_id else BatchStatus.QUEUED

    def get_status_display(self) -> str:
        return self.job.get_status_display() if self.job_id else BatchStatus.QUEUED.label

    @property
    def decided(self) -> int:
        return int(self.job.result.get("decided", 0)) if self.job_id else 0

    @property
    def skipped(self) -> int:
        return int(self.job.result.get("skipped", 0)) if self.job_id else 0

    @property
    def flagged(self) -> list[dict]:
        """The applications left pending, with why: ``{"id", "reference", "reason"}`` (the first 200)."""
        return list(self.job.result.get("flagged", [])) if self.job_id else []

    @property
    def error(self) -> str:
        return self.job.error if self.job_id else ""

    @property
    def finished_at(self):
        return self.job.finished_at if self.job_id else None

    def progress(self) -> int:
        """Applications processed so far."""
        if not self.job_id:
            return 0
        if self.job.status == BatchStatus.DONE:
            return self.decided + self.skipped
        return self.job.progress_now()[0]
