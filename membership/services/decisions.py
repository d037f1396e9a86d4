"""Decisions on membership applications: approve (a member with the county's next card number, or a
transfer for a person already registered) and reject, singly under a row lock, in bulk in one go or as a
background job with progress (``review_batch``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.choices import (
    ApplicationStatus,
    BatchAction,
    MemberSource,
    MemberStatus,
)
from membership.models import (
    Member,
    MembershipApplication,
    ReviewBatch,
)
from membership.services.members import holding_pool, member_create, member_transfer, member_update
from membership.services.notices import application_decision_notify
from unionhub.models.regions import UnionOrganization
from unionhub.scoping import in_scope, reach_of, scope_queryset
from unionhub.services.jobs import job_execute, job_kind, job_start

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]

# --- Decisions ---------------------------------------------------------------------------------------------


@dataclass
class Flagged:
    """An application a bulk decision left pending, and why (the message the single decision would give)."""

    pk: int
    reference: str
    reason: str


@dataclass
class BulkOutcome:
    decided: int = 0
    skipped: int = 0
    flagged: list[Flagged] = dataclasses.field(default_factory=list)


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
            # rolls back this card number with the insert and falls through to the existing member's checks.
            with transaction.atomic():
                return member_create(member=member, by=by)
        except (IntegrityError, ValidationError):
            # IntegrityError from the insert, or ValidationError from the unique check if the other approval
            # committed in between: either way, the person is a member now, and this application is checked
            # against that record exactly as if it had been there first (the outcome does not hang on timing).
            existing = Member.objects.filter(resident_id=application.resident_id).select_related("union").first()
            if existing is None:
                raise
    _existing_member_check(application, existing, by)
    if existing.status == MemberStatus.ACTIVE and existing.union_id != union.pk:
        member_transfer(member=existing, to_union=union, by=by, reason=_("transfer requested online"))
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
    application_decision_notify(application=application)
    return member


def _reject_locked(application: MembershipApplication, *, by, reason: str, now: dt.datetime) -> None:
    application.status = ApplicationStatus.REJECTED
    application.rejection_reason = (reason or "").strip()
    application.decided_at = now
    application.decided_by = by
    application.full_clean(exclude=["source_station", "source_union", "decided_by", "member"])
    application.save()
    application_decision_notify(application=application)


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
    """Approve or reject many applications in one transaction, deciding what it can: each application in its
    own savepoint, so one that cannot be decided - a mobile that differs from the member's, a county without a
    holding pool - is rolled back alone (its card number too: no gap) and listed in ``outcome.flagged`` with
    the reason, and the others are decided. Those already decided are skipped, not errors.

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
            try:
                with transaction.atomic():
                    if action == BatchAction.APPROVE:
                        _approve_locked(application, by=by, union=None, now=now, pools=pools)
                    else:
                        _reject_locked(application, by=by, reason=reason, now=now)
            except ValidationError as exc:
                outcome.flagged.append(Flagged(application.pk, application.reference, "; ".join(exc.messages)))
            else:
                outcome.decided += 1
            if progress:
                progress(done + outcome.skipped)
    return outcome


# --- Bulk review jobs --------------------------------------------------------------------------------------


BATCH_JOB = "membership.review_batch"


def review_batch_create(*, action: str, application_ids: Iterable[int], by, reason: str = "") -> ReviewBatch:
    """Queue a bulk decision as a job (for batches too large for one web request)."""
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
    flagged = [{"id": f.pk, "reference": f.reference, "reason": f.reason} for f in outcome.flagged]
    return {"decided": outcome.decided, "skipped": batch.total - outcome.decided, "flagged": flagged[:200]}


def review_batch_run(*, batch_id: int) -> ReviewBatch:
    """Run a bulk review job now, as a worker would (claimed once: a finished job is not run again)."""
    batch = ReviewBatch.objects.get(pk=batch_id)
    if batch.job_id:
        job_execute(job_id=batch.job_id, handler=job_kind(BATCH_JOB).task.handler)
    return ReviewBatch.objects.select_related("job").get(pk=batch_id)


def applications_bulk_decide(*, application_ids: list[int], action: str, by, reason: str = ""):
    """Decide the pending applications among ``application_ids``: at once when there are at most
    ``MEMBERSHIP_BULK_SYNC_LIMIT``, else as a background job. Returns the outcome, or the batch (job)."""
    if len(application_ids) > settings.MEMBERSHIP_BULK_SYNC_LIMIT:
        return review_batch_create(action=action, application_ids=application_ids, by=by, reason=reason)
    return applications_decide(application_ids=application_ids, action=action, by=by, reason=reason)
