"""People on a roster who are members already, in another union: what the importer is told, and the
transfer requests an import sends for those registered outside the importer's reach.

The rule is the public join path's (``application_submit``): a county never learns anything of another
county's member record. A roster row for a person registered in a union the importer reaches is a transfer
candidate shown with a link to the member (the importer may see and move them). A row for a person
registered outside the importer's reach says only "already a member elsewhere" - no county, union, card
number, name or mobile of that record - and, once the import is written, becomes a *transfer request*: a
``MembershipApplication`` routed to the county that holds the member, decided there (approval needs the
mobile number the member registered with, the proof the request is the member's, and moves the member to
the roster's union). A row without a mobile number cannot carry that proof, so no request is sent for it and
the importer is told so. Sending is idempotent: a pending request for the same person and union is not sent
again when a roster is imported twice."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.choices import ApplicationStatus, Channel
from membership.models import Member, MembershipApplication
from membership.models.roster import ImportStatus, RosterImport, RosterRow, RowAction
from membership.services.applications import reference_new
from membership.services.roster_rows import DEFAULT_OCCUPATION
from unionhub.personal import RESIDENT_ID, mask
from unionhub.scoping import scope_queryset

ROSTER_CONSENT = "roster"  # the union that sent the roster collected it; no worker consented online


@dataclass
class TransferNote:
    """What the importer is told about one transfer row."""

    row_number: int
    name: str  # as written in the roster (the importer's own data), never the register's
    resident_id: str  # masked
    member: Member | None  # only when the importer reaches the member
    message: str


def _elsewhere_message(row: RosterRow, *, sent: bool) -> str:
    if not row.mobile:
        return _(
            "Already a member elsewhere. No transfer request can be sent without the mobile number the member "
            "registered with: add it and import again, or ask the member to apply for a transfer."
        )
    if sent:
        return _("Already a member elsewhere: a transfer request was sent to the member's county.")
    return _(
        "Already a member elsewhere: when the import is confirmed, a transfer request will be sent to the member's "
        "county."
    )


def _reached(member_ids, user) -> set[int]:
    return set(scope_queryset(Member.objects.filter(pk__in=list(member_ids)), user).values_list("pk", flat=True))


def roster_transfer_notes(*, roster: RosterImport, user, limit: int | None = 100) -> list[TransferNote]:
    """The transfer rows in file order, each with what the importer may be told."""
    rows = RosterRow.objects.filter(roster=roster, action=RowAction.TRANSFER).order_by("row_number")
    rows = list(rows[:limit] if limit else rows)
    reached = _reached({r.member_id for r in rows if r.member_id}, user)
    members = Member.objects.select_related("union").in_bulk(reached)
    sent = roster.status == ImportStatus.DONE
    notes = []
    for row in rows:
        member = members.get(row.member_id)
        if member is not None:
            message = _(
                "Already a member of %(union)s: not moved. If they have changed union, transfer them from the "
                "member's page."
            ) % {"union": member.union.name}
        else:
            message = _elsewhere_message(row, sent=sent)
        notes.append(TransferNote(row.row_number, row.name, mask(row.resident_id, RESIDENT_ID), member, message))
    return notes


def roster_transfer_messages(*, roster: RosterImport, user) -> dict[int, str]:
    """row id -> the message of each transfer row (for the command's verdicts)."""
    rows = list(RosterRow.objects.filter(roster=roster, action=RowAction.TRANSFER).only("pk", "member_id", "mobile"))
    reached = _reached({r.member_id for r in rows if r.member_id}, user)
    return {
        row.pk: _("Already a member of another union in your area: not moved; transfer them from the member's page.")
        if row.member_id in reached
        else _elsewhere_message(row, sent=roster.status == ImportStatus.DONE)
        for row in rows
    }


def roster_transfer_requests_send(*, roster: RosterImport, by) -> int:
    """Send a transfer request to the member's county for each transfer row of a person registered outside
    the importer's reach that gives a mobile number; return how many were sent. Call it inside the import's
    transaction (the requests are written with the import, or not at all)."""
    rows = list(
        RosterRow.objects.filter(roster=roster, action=RowAction.TRANSFER)
        .exclude(mobile=None)
        .exclude(mobile="")
        .exclude(union_id=None)
        .order_by("row_number")
    )
    reached = _reached({r.member_id for r in rows if r.member_id}, by)
    holders = dict(
        Member.objects.filter(pk__in=[r.member_id for r in rows if r.member_id not in reached]).values_list(
            "pk", "union__region_id"
        )
    )
    pending = set(
        MembershipApplication.objects.filter(
            status=ApplicationStatus.PENDING, resident_id__in=[r.resident_id for r in rows]
        ).values_list("resident_id", "union_id")
    )
    now = timezone.now()
    requests = []
    for row in rows:
        county = (holders.get(row.member_id) or "")[:6]
        if len(county) < 6 or (row.resident_id, row.union_id) in pending:
            continue
        pending.add((row.resident_id, row.union_id))
        application = MembershipApplication(
            name=row.name,
            resident_id=row.resident_id,
            mobile=row.mobile,
            employer=row.employer or "",
            occupation=row.occupation or DEFAULT_OCCUPATION,
            union_id=row.union_id,
            county_id=county,
            channel=Channel.ROSTER,
            consent_version=ROSTER_CONSENT,
            consented_at=now,
            submitted_at=now,
        )
        application.set_personal_details()
        requests.append(application)
    for _attempt in range(3):
        for application in requests:
            application.reference = reference_new()
        try:
            with transaction.atomic():  # a savepoint: a reference collision (about 1 in 10^11) draws again
                MembershipApplication.objects.bulk_create(requests, batch_size=500)
            return len(requests)
        except IntegrityError:
            continue
    raise RuntimeError("could not draw free reference numbers")
