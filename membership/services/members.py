"""Members: card numbers and the county's holding pool (周转库), creating and changing members (a union
change is a transfer that keeps the card number), and the logged reveal of personal numbers."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.choices import MemberStatus, RevealSubject
from membership.models import (
    CardCounter,
    Member,
    MembershipApplication,
    MemberTransfer,
    PersonalDataReveal,
)
from unionhub.models.regions import UnionOrganization
from unionhub.personal import MOBILE, RESIDENT_ID, mask
from unionhub.scoping import reach_of, region_code_of

logger = logging.getLogger(__name__)

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


# --- Personal data -----------------------------------------------------------------------------------------


def reveal_log_write(
    *, user, obj=None, fields, count: int = 1, label: str | None = None, region_id: str | None = None
) -> PersonalDataReveal:
    """The reveal log's writer, handed to the core (``unionhub.personal.set_reveal_log``) in
    ``MembershipConfig.ready``: every reveal of a person's full numbers (``obj``: a member, an application, a
    worker's request, a mediation party) and every file with full numbers in it (``obj`` None: ``count``
    people, ``label`` says which file) is one row, scoped by the person's county (the exporting user's region
    for a file). Called only through ``PersonalData``, which has checked the permission."""
    if obj is None:
        subject, person_label = RevealSubject.EXPORT, label or _("%(count)s members") % {"count": count}
        county = region_id or reach_of(user).region_code
    else:
        subject = RevealSubject(_SUBJECTS.get(obj._meta.model_name, obj._meta.model_name))
        number = (
            mask(obj.resident_id, RESIDENT_ID)
            if getattr(obj, "resident_id", "")
            else mask(getattr(obj, "mobile", ""), MOBILE)
        )
        person_label = f"{getattr(obj, 'name', '') or obj} {number}"
        county = (region_code_of(obj) or "")[:6] or None
    log = PersonalDataReveal(
        user=user,
        subject=subject,
        member=obj if isinstance(obj, Member) else None,
        application=obj if isinstance(obj, MembershipApplication) else None,
        subject_label=str(person_label)[:100],
        fields=",".join(fields)[:50],
        count=count,
        region_id=county,
    )
    log.full_clean(exclude=["member", "application", "region", "user"])
    log.save()
    return log


_SUBJECTS = {"membershipapplication": RevealSubject.APPLICATION}
