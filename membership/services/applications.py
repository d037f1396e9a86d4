"""Domain operations on applications and members. The public views, the admin, the Celery tasks and the demo
loader call these; none of them holds membership rules of its own.

Scoping is the caller's business (the admin hands over objects from its scoped querysets; a batch job
re-scopes its ids to the user who asked for it)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.choices import (
    JOINABLE_KINDS,
    ApplicationStatus,
    BatchAction,
    Channel,
    MemberSource,
    MemberStatus,
)
from membership.masking import can_reveal, mask_resident_id
from membership.models import (
    CardCounter,
    Member,
    MembershipApplication,
    MemberTransfer,
    PersonalDataReveal,
    ReviewBatch,
)
from stations.models import Station
from unionhub.models.regions import UnionOrganization
from unionhub.scoping import in_scope, reach_of, scope_queryset

logger = logging.getLogger(__name__)

# Unambiguous characters only (no 0/O, 1/I/L), so a reference read out over the phone is typed right.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8
Progress = Callable[[int], None]


# --- Submission --------------------------------------------------------------------------------------------


def reference_new() -> str:
    """A random reference number: 31^8 ≈ 8.5e11 values, so it cannot be guessed (and the status page asks for
    the mobile number as well)."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def reference_normalize(value: str) -> str:
    """What a worker types back: spaces, dashes, lowercase and full-width letters are all accepted."""
    from unionhub.validators import halfwidth

    return "".join(ch for ch in halfwidth(value or "").upper() if ch.isalnum())


def application_county(
    *,
    station: Station | None = None,
    union: UnionOrganization | None = None,
    source_union: UnionOrganization | None = None,
    county_code: str | None = None,
    resident_id: str = "",
    served: Iterable[str] = (),
) -> str | None:
    """The county whose staff review an application: the union's (chosen by the worker or given by a union's
    QR code - the member will belong to it), else the QR code's station's or federation's, else the county the
    worker chose, else the county that issued the ID number if it is one of the ``served`` counties (those
    with a holding-pool union). None when nothing says."""
    for candidate in (
        union.region_id[:6] if union else None,
        station.region_id[:6] if station else None,
        source_union.region_id[:6] if source_union else None,
        county_code,
    ):
        if candidate and len(candidate) == 6:
            return candidate
    issued = resident_id[:6]
    return issued if issued in set(served) else None


def application_submit(
    *,
    name: str,
    resident_id: str,
    mobile: str,
    occupation: str,
    employer: str = "",
    union: UnionOrganization | None = None,
    county_code: str | None = None,
    source_station: Station | None = None,
    source_union: UnionOrganization | None = None,
    event: str = "",
    consent_version: str,
    served_counties: Iterable[str] = (),
) -> MembershipApplication:
    """Record an application from the public join page and return it (its ``reference`` is the worker's).

    The same answer whoever applies: the response never depends on the member register. An ID number that
    already belongs to a member makes the application a *transfer request* decided by the county that holds
    the member (``county`` is set to it, whatever union was named): only that county sees the request, with
    whether the mobile number matches the member's registered one - the proof that the applicant is the
    member. No other county learns that the person is a member anywhere (see ``application_approve``).

    One indexed SELECT of the register (for the routing) and one INSERT: the foreign keys arrive as objects
    the form already loaded, so ``full_clean`` skips them, and the random reference's uniqueness is left to
    the database (a collision, about one in 10^11 per pair, is retried)."""
    if union is None and source_union is not None and source_union.kind in JOINABLE_KINDS:
        union = source_union  # a grassroots union's or industry federation's own QR code
    application = MembershipApplication(
        name=name,
        resident_id=resident_id,
        mobile=mobile,
        employer=(employer or "").strip(),
        occupation=occupation,
        union=union,
        source_station=source_station,
        source_union=source_union,
        channel=Channel.STATION_QR if source_station else Channel.UNION_QR if source_union else Channel.DIRECT,
        event=(event or "")[:50],
        consent_version=consent_version,
    )
    application.set_personal_details()
    application.county_id = application_county(
        station=source_station,
        union=union,
        source_union=source_union,
        county_code=county_code,
        resident_id=application.resident_id,
        served=served_counties,
    )
    application._holder_county = application.holder_county()
    if application._holder_county:
        application.county_id = application._holder_county  # a transfer request: the member's county decides
    # The check constraint concerns rejections only; skipping it (and the unique check) saves two queries.
    application.full_clean(
        exclude=["union", "county", "source_station", "source_union", "decided_by", "member"],
        validate_unique=False,
        validate_constraints=False,
    )
    # Outside a transaction (a web request) the INSERT commits on its own; a BEGIN/COMMIT around it would
    # cost two round trips. Inside one, a savepoint keeps a reference collision from breaking it.
    guard = transaction.atomic if transaction.get_connection().in_atomic_block else nullcontext
    for _attempt in range(3):
        application.reference = reference_new()
        try:
            with guard():
                application.save(force_insert=True)
            return application
        except IntegrityError:
            if MembershipApplication.objects.filter(reference=application.reference).exists():
                continue
            raise
    raise RuntimeError("could not draw a free reference number")


def application_lookup(*, reference: str, mobile: str) -> MembershipApplication | None:
    """The application with this reference and mobile number, or None - the same None whether the reference
    does not exist or the mobile number does not match it."""
    return (
        MembershipApplication.objects.select_related("member", "union")
        .filter(reference=reference_normalize(reference), mobile=mobile)
        .first()
    )


# --- Card numbers and the holding pool ---------------------------------------------------------------------


def card_number_format(*, county_code: str, year: int, sequence: int) -> str:
    """1405212026000001: county code, year, six-digit sequence."""
    return f"{county_code}{year}{sequence:06d}"


def card_number_next(*, county_code: str, year: int) -> str:
    """The next card number of a county and year. Call it inside the transaction that saves the member.

    The counter row is incremented with ``UPDATE … SET last = last + 1`` before it is read: the UPDATE takes
    the same row lock that ``SELECT … FOR UPDATE`` would, in one statement, so a concurrent approval in the
    same county waits for this transaction to end and then sees its number. A rolled-back approval rolls its
    increment back, so the numbers have no gaps. (On SQLite the UPDATE takes the database write lock at once,
    which a read-then-write would not.) The first number of a year creates the row with ``INSERT … ON
    CONFLICT DO NOTHING``, which waits for, then yields to, a concurrent creator."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("card_number_next must run inside the transaction that saves the member")
    counter = CardCounter.objects.filter(county_id=county_code, year=year)
    if not counter.update(last=F("last") + 1):
        CardCounter.objects.bulk_create([CardCounter(county_id=county_code, year=year, last=0)], ignore_conflicts=True)
        counter.update(last=F("last") + 1)
    sequence = counter.values_list("last", flat=True).get()
    return card_number_format(county_code=county_code, year=year, sequence=sequence)


def holding_pool(*, county_code: str) -> UnionOrganization:
    """The county's holding-pool union (周转库), which takes approved members who have no union yet."""
    pool = (
        UnionOrganization.objects.filter(is_holding_pool=True, region__code__startswith=county_code)
        .order_by("region_id", "pk")
        .first()
    )
    if pool is None:
        raise ValidationError(
            _(
                "County %(county)s has no holding-pool union (周转库). Create one (a grassroots union marked "
                "“holding pool”), or choose the applicant's union, and approve again."
            )
            % {"county": county_code}
        )
    return pool


def served_counties() -> list[str]:
    """Counties that take online applications: those with a holding-pool union."""
    codes = UnionOrganization.objects.filter(is_holding_pool=True).values_list("region_id", flat=True)
    return sorted({code[:6] for code in codes if len(code) >= 6})


# --- Members -----------------------------------------------------------------------------------------------


def _history_by(obj, user) -> None:
    # simple-history takes the user from the request middleware; services also run in Celery tasks.
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user


@transaction.atomic
def member_create(*, member: Member, by=None) -> Member:
    """Register a new member (entered by staff, imported or approved online), assigning the card number from
    the county of the member's union and the year of joining."""
    member.set_personal_details()
    member.full_clean(exclude=["card_number"])
    member.card_number = card_number_next(county_code=member.union.region_id[:6], year=member.join_date.year)
    _history_by(member, by)
    member.save(force_insert=True)
    return member


@transaction.atomic
def member_update(*, member: Member, by=None) -> Member:
    """Save changes to a member's details. A change of union goes through ``member_transfer``."""
    member.set_personal_details()
    member.full_clean()
    _history_by(member, by)
    member.save()
    return member


@transaction.atomic
def member_change(*, member: Member, by=None, union_changed: bool = False) -> Member:
    """Save staff's edit of a member. A change of union is a transfer (转会): the rest is saved first, then
    the member moves and the move is recorded, as ``member_transfer`` does for the transfer action."""
    to_union = member.union if union_changed else None
    if to_union is not None:
        member.union_id = Member.objects.filter(pk=member.pk).values_list("union_id", flat=True).get()
    member_update(member=member, by=by)
    if to_union is not None:
        member_transfer(member=member, to_union=to_union, by=by, reason=_("changed by staff"))
    return member


def applications_bulk_decide(*, application_ids: list[int], action: str, by, reason: str = ""):
    """Decide the pending applications among ``application_ids``: at once when there are at most
    ``MEMBERSHIP_BULK_SYNC_LIMIT``, else as a background job. Returns the outcome, or the batch (job)."""
    if len(application_ids) > settings.MEMBERSHIP_BULK_SYNC_LIMIT:
        return review_batch_create(action=action, application_ids=application_ids, by=by, reason=reason)
    return applications_decide(application_ids=application_ids, action=action, by=by, reason=reason)


def member_transfer(
    *, member: Member, to_union: UnionOrganization, by=None, reason: str = "", date: dt.date | None = None
) -> MemberTransfer:
    """Move a member to another union (转会): the card number, join date and history stay; the transfer is
    recorded. Also how a member leaves the holding pool for a grassroots union."""
    locked = Member.objects.select_for_update().get(pk=member.pk)
    transfer = MemberTransfer(
        member=locked,
        from_union_id=locked.union_id,
        to_union=to_union,
        date=date or timezone.localdate(),
        reason=reason,
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    transfer.full_clean()
    transfer.save()
    locked.union = to_union
    if locked.status == MemberStatus.TRANSFERRED:
        locked.status = MemberStatus.ACTIVE
    locked.full_clean()
    _history_by(locked, by)
    locked.save(update_fields=["union", "status"])
    member.union, member.status = locked.union, locked.status
    return transfer


# --- Decisions ---------------------------------------------------------------------------------------------


@dataclass
class BulkOutcome:
    decided: int = 0
    skipped: int = 0


def _notify_on_commit(application_id: int) -> None:
    from unionhub.services.jobs import task_send

    def enqueue():
        for backend in settings.MEMBERSHIP_NOTIFICATION_BACKENDS:
            task_send("membership.application_notify", application_id, backend)

    transaction.on_commit(enqueue)


def _existing_member_check(application: MembershipApplication, existing: Member, by) -> None:
    """An application for a person already registered is a transfer request: only the county holding the
    member decides it, and only if the applicant gave the member's registered mobile number (the proof that
    the applicant is the member). Otherwise nothing is linked and nothing about the member is reported."""
    if by is not None and getattr(by, "is_authenticated", False) and not in_scope(existing, by):
        # Registered elsewhere after the application came in (submission routes it to the member's county):
        # refuse without a word about whom or where; the reviewer rejects it or the applicant asks their union.
        raise ValidationError(
            _(
                "Application %(reference)s cannot be approved here. Reject it and ask the applicant to contact "
                "the union that holds their membership."
            )
            % {"reference": application.reference}
        )
    if existing.mobile != application.mobile:
        raise ValidationError(
            _(
                "Application %(reference)s: the mobile number does not match the member's registered number, so "
                "the applicant has not shown they are this member. Reject it, or confirm with the member first."
            )
            % {"reference": application.reference}
        )


def _member_for(application: MembershipApplication, union: UnionOrganization, by, today: dt.date) -> Member:
    """The member an approved application makes: a new one, or the person's existing record (a transfer
    request, see ``_existing_member_check``), moved to the chosen union."""
    existing = Member.objects.filter(resident_id=application.resident_id).select_related("union").first()
    if existing is not None:
        _existing_member_check(application, existing, by)
        if existing.status == MemberStatus.ACTIVE and existing.union_id != union.pk:
            member_transfer(member=existing, to_union=union, by=by, reason=_("transfer requested online"))
    if existing is None:
        member = Member(
            name=application.name,
            resident_id=application.resident_id,
            mobile=application.mobile,
            employer=application.employer,
            occupation=application.occupation,
            union=union,
            join_date=today,
            source=MemberSource.ONLINE,
        )
        try:
            # A savepoint, so that a concurrent approval of the same person (two applications, two reviewers)
            # rolls back this card number with the insert and falls through to linking their member.
            with transaction.atomic():
                return member_create(member=member, by=by)
        except (IntegrityError, ValidationError):
            # IntegrityError from the insert, or ValidationError from the unique check if the other approval
            # committed in between: either way, the person is a member now.
            existing = Member.objects.filter(resident_id=application.resident_id).first()
            if existing is None:
                raise
    if existing.status != MemberStatus.ACTIVE:
        # A lapsed member, or one who left for a union elsewhere, joins again: same record, same card.
        if existing.union_id != union.pk:
            member_transfer(member=existing, to_union=union, by=by, reason=_("rejoined online"))
        existing.status = MemberStatus.ACTIVE
        member_update(member=existing, by=by)
    return existing


def _approve_locked(
    application: MembershipApplication, *, by, union: UnionOrganization | None, now: dt.datetime, pools: dict
) -> Member:
    union = union or application.union
    if union is None:
        if not application.county_id:
            raise ValidationError(
                _("Application %(reference)s has no county: choose the applicant's union first.")
                % {"reference": application.reference}
            )
        if application.county_id not in pools:
            pools[application.county_id] = holding_pool(county_code=application.county_id)
        union = pools[application.county_id]
    member = _member_for(application, union, by, timezone.localtime(now).date())
    application.union = application.union or union
    application.member = member
    application.status = ApplicationStatus.APPROVED
    application.decided_at = now
    application.decided_by = by
    application.rejection_reason = ""
    application.full_clean(exclude=["source_station", "source_union", "decided_by", "member"])
    application.save()
    _notify_on_commit(application.pk)
    return member


def _reject_locked(application: MembershipApplication, *, by, reason: str, now: dt.datetime) -> None:
    application.status = ApplicationStatus.REJECTED
    application.rejection_reason = (reason or "").strip()
    application.decided_at = now
    application.decided_by = by
    application.full_clean(exclude=["source_station", "source_union", "decided_by", "member"])
    application.save()
    _notify_on_commit(application.pk)


def _lock_pending(application: MembershipApplication) -> MembershipApplication:
    locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(
            _("Application %(reference)s has already been decided (%(status)s).")
            % {"reference": locked.reference, "status": locked.get_status_display()}
        )
    locked.union = application.union  # a reviewer may have chosen the union on the review page
    return locked


def _refresh(application: MembershipApplication, locked: MembershipApplication) -> None:
    for field in ("union", "county", "member", "status", "decided_at", "decided_by", "rejection_reason"):
        setattr(application, field, getattr(locked, field))


def application_approve(
    *, application: MembershipApplication, by=None, union: UnionOrganization | None = None
) -> Member:
    """Approve one application and return the member: a new member with the next card number of the
    union's county, in the chosen union, the applicant's union, or the county's holding pool - or, if the
    person is already a member, that member (never a second one). The worker is notified after commit."""
    with transaction.atomic():
        locked = _lock_pending(application)
        member = _approve_locked(locked, by=by, union=union, now=timezone.now(), pools={})
    _refresh(application, locked)
    return member


def application_reject(*, application: MembershipApplication, by=None, reason: str) -> None:
    """Reject one application with a reason the worker will read. The worker is notified after commit."""
    if not (reason or "").strip():
        raise ValidationError({"rejection_reason": _("Give the worker a reason for the rejection.")})
    with transaction.atomic():
        locked = _lock_pending(application)
        _reject_locked(locked, by=by, reason=reason, now=timezone.now())
    _refresh(application, locked)


def applications_decide(
    *,
    application_ids: Iterable[int],
    action: str,
    by=None,
    reason: str = "",
    progress: Progress | None = None,
) -> BulkOutcome:
    """Approve or reject many applications in one transaction: all of them, or - if any cannot be decided,
    say a county without a holding pool - none. Those already decided are skipped, not errors.

    Rows are locked in id order and approvals run county by county, oldest first, so two bulk decisions
    cannot deadlock and card numbers follow the order of application."""
    if action == BatchAction.REJECT and not (reason or "").strip():
        raise ValidationError({"rejection_reason": _("Give the worker a reason for the rejection.")})
    ids = sorted(set(application_ids))
    now = timezone.now()
    outcome = BulkOutcome()
    pools: dict = {}
    with transaction.atomic():
        locked = list(MembershipApplication.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        pending = [a for a in locked if a.status == ApplicationStatus.PENDING]
        outcome.skipped = len(ids) - len(pending)
        pending.sort(key=lambda a: (a.county_id or "", a.submitted_at, a.pk))
        for done, application in enumerate(pending, start=1):
            if action == BatchAction.APPROVE:
                _approve_locked(application, by=by, union=None, now=now, pools=pools)
            else:
                _reject_locked(application, by=by, reason=reason, now=now)
            outcome.decided += 1
            if progress:
                progress(done + outcome.skipped)
    return outcome


# --- Bulk review jobs --------------------------------------------------------------------------------------


BATCH_JOB = "membership.review_batch"


def review_batch_create(*, action: str, application_ids: Iterable[int], by, reason: str = "") -> ReviewBatch:
    """Queue a bulk decision as a job (for batches too large for one web request)."""
    from unionhub.services.jobs import job_start

    if action == BatchAction.REJECT and not (reason or "").strip():
        raise ValidationError({"reason": _("Give the worker a reason for the rejection.")})
    ids = sorted(set(application_ids))
    with transaction.atomic():
        batch = ReviewBatch(
            action=action,
            reason=(reason or "").strip(),
            application_ids=ids,
            total=len(ids),
            requested_by=by,
            region_id=reach_of(by).region_code,
        )
        batch.full_clean()
        batch.save()
        job_start(kind=BATCH_JOB, user=by, target=batch, total=len(ids))
    batch.refresh_from_db()
    return batch


PROGRESS_EVERY = 25


def review_batch_decide(*, batch: ReviewBatch, progress: Callable[..., None] | None = None) -> dict:
    """The bulk decision's work (the job's handler): all its applications in one transaction, all or
    nothing, re-scoped to the user who asked for it. A worker lost mid-way rolls the transaction back; the
    job is claimed once, so a second delivery does nothing."""

    def report(done: int) -> None:
        if progress and (done % PROGRESS_EVERY == 0 or done == batch.total):
            progress(done, batch.total)

    with transaction.atomic():
        reachable = scope_queryset(
            MembershipApplication.objects.filter(pk__in=batch.application_ids), batch.requested_by
        ).values_list("pk", flat=True)
        outcome = applications_decide(
            application_ids=list(reachable),
            action=batch.action,
            by=batch.requested_by,
            reason=batch.reason,
            progress=report,
        )
    return {"decided": outcome.decided, "skipped": batch.total - outcome.decided}


def review_batch_run(*, batch_id: int) -> ReviewBatch:
    """Run a bulk review job now, as a worker would (claimed once: a finished job is not run again)."""
    from unionhub.services.jobs import job_execute, job_kind

    batch = ReviewBatch.objects.get(pk=batch_id)
    if batch.job_id:
        job_execute(job_id=batch.job_id, handler=job_kind(BATCH_JOB).task.handler)
    return ReviewBatch.objects.select_related("job").get(pk=batch_id)


# --- Notifications -----------------------------------------------------------------------------------------


def application_notify(*, application_id: int, backend: str) -> bool:
    """Tell the worker of the decision through one notification backend. False if there is nothing to tell
    (the application is gone, or still pending: a decision rolled back after the task was queued)."""
    from membership.services.notifications import Decision, get_backend

    application = (
        MembershipApplication.objects.select_related("member__union", "union").filter(pk=application_id).first()
    )
    if application is None or application.status == ApplicationStatus.PENDING:
        return False
    get_backend(backend).send(Decision.from_application(application))
    MembershipApplication.objects.filter(pk=application_id).update(notified_at=timezone.now())
    return True


# --- Personal data -----------------------------------------------------------------------------------------


def personal_data_reveal(
    *, user, member: Member | None = None, application: MembershipApplication | None = None
) -> dict[str, str]:
    """The full ID and mobile numbers of a member or an application, for a user with
    ``membership.reveal_personal_data``; the reveal is logged. Raises PermissionDenied otherwise."""
    if not can_reveal(user):
        raise PermissionDenied
    subject = member or application
    if subject is None:
        raise ValueError("reveal whose data?")
    county = (member.union.region_id if member else application.county_id or "")[:6] or None
    log = PersonalDataReveal(
        user=user,
        subject="member" if member else "application",
        member=member,
        application=application,
        subject_label=f"{subject.name} {mask_resident_id(subject.resident_id)}"[:100],
        fields="resident_id,mobile",
        region_id=county,
    )
    log.full_clean(exclude=["member", "application", "region", "user"])
    log.save()
    return {"resident_id": subject.resident_id, "mobile": subject.mobile}


def personal_data_export_logged(
    *, user, count: int, label: str | None = None, region_id: str | None = None
) -> PersonalDataReveal:
    """Log an export of ``count`` people with full ID and mobile numbers (a member export, a roster's error
    workbook: ``label`` says which, ``region_id`` whose - the exporting user's region by default)."""
    if not can_reveal(user):
        raise PermissionDenied
    log = PersonalDataReveal(
        user=user,
        subject="export",
        subject_label=(label or _("%(count)s members") % {"count": count})[:100],
        fields="resident_id,mobile",
        count=count,
        region_id=region_id or reach_of(user).region_code,
    )
    log.full_clean(exclude=["member", "application", "region", "user"])
    log.save()
    return log
