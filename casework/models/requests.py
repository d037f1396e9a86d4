"""Workers' requests (诉求, the "四有" mechanism): who holds them, their time limits and their timeline."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from casework.choices import (
    OPEN_STATUSES,
    Department,
    EventKind,
    RequestCategory,
    RequestChannel,
    RequestOutcome,
    RequestStatus,
)
from stations.models import Station
from unionhub.models import Region, UnionOrganization
from unionhub.scoping import scoped

# No 0/O, 1/I/L: a reference is read out over the phone and typed on a phone keyboard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 10


def new_reference() -> str:
    """``S`` and nine random characters: not guessable, and useless without the mobile number anyway."""
    return "S" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH - 1))


@scoped(region="union__region__code")
class UnionHandler(models.Model):
    """A person who handles requests for one union: its chair, or a county federation desk's staff.

    A request routed to the union goes to its default handler (the chair, 有人管); every handler of the
    union sees the union's requests in the admin even without a region of their own."""

    union = models.ForeignKey(
        UnionOrganization, on_delete=models.CASCADE, related_name="handlers", verbose_name=_("union")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="union_desks", verbose_name=_("handler")
    )
    is_default = models.BooleanField(_("receives new requests"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request handler")
        verbose_name_plural = _("request handlers")
        constraints = [
            models.UniqueConstraint(fields=["union", "user"], name="unionhandler_once_per_union"),
            models.UniqueConstraint(
                fields=["union"], condition=models.Q(is_default=True), name="unionhandler_one_default_per_union"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union} · {self.user.get_full_name() or self.user.username}"


# The employer's own union's chair keeps reading a request once it has moved up (read-only there: acting is
# for the holder, casework.selectors.reach.request_actable); a confidential filing records no employer union.
@scoped(
    region="region__code",
    station="station",
    users=("handler", "holder__handlers__user", "employer_union__handlers__user"),
)
class WorkerRequest(models.Model):
    """A worker's request, from filing to the worker's rating.

    The clock: ``acknowledge_due_on`` and ``resolve_due_on`` are fixed at filing from the category's limits in
    working days and never move - reassignment and escalation do not restart them. ``level_due_on`` is what
    the union holding the request now must meet: first the acceptance limit, then the resolution limit, and
    after each escalation the limit of the new level. The sweep escalates open requests whose
    ``level_due_on`` has passed; ``due_soon_on`` is the working day during which 80% of that is used up.
    ``due_provisional``: a date was counted across a year whose calendar is not loaded (the clock's estimate);
    loading that year's calendar recalculates the dates (the only time they move). ``region`` is where the
    request was routed at filing and stays put, so the county keeps seeing a request it escalated to the city."""

    # Unique through a named constraint rather than ``unique=True``: that would add a second (LIKE) index that
    # no query uses and every write maintains (see Meta.indexes on the sweep's cost).
    reference = models.CharField(pgettext_lazy("request", "reference number"), max_length=12, default=new_reference)
    category = models.CharField(_("category"), max_length=12, choices=RequestCategory.choices)
    employer_name = models.CharField(pgettext_lazy("request", "employer"), max_length=100)
    employer_credit_code = models.CharField(_("employer's unified social credit code"), max_length=18, blank=True)
    employer_union = models.ForeignKey(
        UnionOrganization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer's grassroots union"),
    )
    description = models.TextField(_("what happened"), max_length=2000)
    wanted = models.TextField(_("what the worker asks for"), max_length=1000)
    name = models.CharField(_("name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=11)
    consented_at = models.DateTimeField(_("consent given"))
    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="worker_requests",
        verbose_name=_("filed at station"),
    )
    source_union = models.ForeignKey(
        UnionOrganization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed from the union's QR code"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"), db_index=False
    )
    holder = models.ForeignKey(
        UnionOrganization, on_delete=models.PROTECT, related_name="held_requests", verbose_name=_("held by")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_requests",
        verbose_name=_("handler"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.NEW, editable=False
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalations"), default=0, editable=False)
    filed_at = models.DateTimeField(_("filed"), editable=False)
    acknowledged_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    acknowledge_due_on = models.DateField(_("accept by"), editable=False)
    resolve_due_on = models.DateField(_("resolve by"), editable=False)
    level_due_on = models.DateField(_("current limit"), editable=False)
    due_soon_on = models.DateField(_("due soon from"), editable=False)
    due_soon_notified = models.BooleanField(_("due-soon reminder sent"), default=False, editable=False)
    due_provisional = models.BooleanField(
        _("provisional due dates"),
        default=False,
        editable=False,
        help_text=_("A due date falls in a year whose holidays are not loaded yet; it is recalculated when they are."),
    )
    resolution = models.TextField(_("resolution"), blank=True)
    outcome = models.CharField(
        pgettext_lazy("request", "outcome"), max_length=13, choices=RequestOutcome.choices, blank=True
    )
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0, editable=False)
    rating = models.PositiveSmallIntegerField(
        _("worker's rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_good = models.JSONField(_("what was good"), default=list, blank=True)
    rating_comment = models.CharField(_("worker's comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True, editable=False)
    channel = models.CharField(
        _("received by"), max_length=10, choices=RequestChannel.choices, default=RequestChannel.ONLINE, editable=False
    )
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        editable=False,
        help_text=_("The worker asked that the employer's own union not handle it: routed to a federation desk."),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("registered by"),
    )
    history = HistoricalRecords(excluded_fields=["due_soon_notified"])

    class Meta:
        verbose_name = _("worker's request")
        verbose_name_plural = _("workers' requests")
        ordering = ["-filed_at"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="workerrequest_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="workerrequest_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(resolve_due_on__gte=models.F("acknowledge_due_on")),
                name="workerrequest_resolve_not_before_accept",
            ),
        ]
        # Every escalation rewrites each index of the moved rows (the sweep changes indexed columns, so no HOT
        # update), so the table keeps only indexes that queries use: one region index serving both equality and
        # the scoping's prefix match (pattern operator class on PostgreSQL) instead of a foreign key's two.
        indexes = [
            models.Index(fields=["region"], name="workerrequest_region", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["status", "level_due_on"], name="workerrequest_sweep"),
            models.Index(fields=["status", "due_soon_on"], name="workerrequest_due_soon"),
            models.Index(fields=["filed_at"], name="workerrequest_filed"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def attachment_path(instance, filename: str) -> str:
    # A random name: the worker's file name may hold their name or ID number.
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(instance.content_type, "bin")
    return f"casework/{uuid.uuid4().hex}.{extension}"


@scoped(
    region="request__region__code",
    station="request__station",
    users=("request__handler", "request__holder__handlers__user", "request__employer_union__handlers__user"),
)
class RequestAttachment(models.Model):
    """A photo or PDF the worker attached (type checked by content, size limited)."""

    request = models.ForeignKey(
        WorkerRequest, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("request")
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.file.name


@scoped(
    region="request__region__code",
    station="request__station",
    users=("request__handler", "request__holder__handlers__user", "request__employer_union__handlers__user"),
)
class RequestEvent(models.Model):
    """One step on a request's timeline: filed, accepted, forwarded, escalated, resolved, rated, …

    Written by the services only (and, for escalations, by the sweep's one INSERT … SELECT), never edited;
    the worker's status page shows the kinds in ``PUBLIC_EVENTS``."""

    request = models.ForeignKey(
        WorkerRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("step"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_union = models.ForeignKey(
        UnionOrganization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("union", "from"),
    )
    to_union = models.ForeignKey(
        UnionOrganization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("union", "to"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["request", "at", "pk"]
        indexes = [models.Index(fields=["kind", "at"], name="requestevent_kind_at")]

    def __str__(self) -> str:
        return f"{self.request} {self.get_kind_display()}"


@scoped(
    region="request__region__code",
    station="request__station",
    users=("request__handler", "request__holder__handlers__user", "request__employer_union__handlers__user"),
)
class Referral(models.Model):
    """A request passed to another department (labour inspection, arbitration, a court, social insurance)."""

    request = models.ForeignKey(
        WorkerRequest, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("request")
    )
    department = models.CharField(_("department"), max_length=12, choices=Department.choices)
    department_name = models.CharField(_("department's name"), max_length=100, blank=True)
    referred_on = models.DateField(_("referred on"))
    note = models.TextField(_("note"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    follow_up_note = models.TextField(_("what the department did"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on"]

    def __str__(self) -> str:
        return f"{self.request} → {self.department_name or self.get_department_display()}"
