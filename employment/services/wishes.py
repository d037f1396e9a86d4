"""Job wishes: filed by a worker on a phone at a station (no account), or by staff from a questionnaire;
renewed, withdrawn. A wish expires ``WISH_DAYS`` after it was filed or last renewed (asked at read time)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employment.choices import WISH_DAYS, WishSource, WishStatus
from employment.models import JobWish
from membership.choices import Occupation
from unionhub.scoping import in_scope
from unionhub.validators import normalize_mobile

FIELDS = ("name", "occupation", "area", "pay_expected", "max_daily_hours", "skills", "mobile", "consent")


def wish_validate(*, wish: JobWish) -> None:
    """Field-by-field Chinese messages: consent, an unknown occupation, a mobile number, pay, hours."""
    errors: dict[str, str] = {}
    if not wish.consent:
        errors["consent"] = _(
            "Please agree that the union may share your wish with employers; without it we cannot help."
        )
    if wish.occupation not in Occupation.values:
        errors["occupation"] = _("Choose an occupation from the list.")
    try:
        wish.mobile = normalize_mobile(wish.mobile or "")
    except ValidationError as exc:
        errors["mobile"] = exc.messages[0]
    try:
        pay = Decimal(wish.pay_expected)
        if pay <= 0:
            raise InvalidOperation
        wish.pay_expected = pay
    except (InvalidOperation, TypeError, ValueError):
        errors["pay_expected"] = _("Give the pay you expect in yuan a month.")
    try:
        wish.max_daily_hours = int(wish.max_daily_hours)
        if not 1 <= wish.max_daily_hours <= 24:
            raise ValueError
    except (TypeError, ValueError):
        errors["max_daily_hours"] = _("Give the hours a day you can work (1 to 24).")
    if wish.area_id and wish.station_id and wish.area_id[:6] != wish.station.region_id[:6]:
        errors["area"] = _("Choose a town in the station's county.")
    if errors:
        raise ValidationError(errors)


def wish_prepare(*, wish: JobWish, user, source: str = WishSource.STAFF, today: dt.date | None = None) -> JobWish:
    """A wish entered by staff (the admin's form): its source, term and position, before it is saved."""
    wish.source = source
    wish.created_by = user
    wish.valid_until = (today or timezone.localdate()) + dt.timedelta(days=WISH_DAYS)
    wish.latitude, wish.longitude = wish.station.latitude, wish.station.longitude
    return wish


def wish_file(*, station, source: str = WishSource.PHONE, user=None, today: dt.date | None = None, **fields) -> JobWish:
    """A new wish at ``station``; the position copied from the station so matching reads one table."""
    today = today or timezone.localdate()
    wish = JobWish(
        station=station,
        source=source,
        created_by=user,
        valid_until=today + dt.timedelta(days=WISH_DAYS),
        latitude=station.latitude,
        longitude=station.longitude,
        **{k: v for k, v in fields.items() if k in FIELDS},
    )
    if user is not None and not in_scope(wish, user):
        raise PermissionDenied
    wish_validate(wish=wish)
    with transaction.atomic():
        wish.save()
    return wish


def wish_renew(*, wish: JobWish, user, today: dt.date | None = None) -> JobWish:
    if user is not None and not in_scope(wish, user):
        raise PermissionDenied
    wish.valid_until = (today or timezone.localdate()) + dt.timedelta(days=WISH_DAYS)
    wish.status = WishStatus.OPEN
    wish.save(update_fields=["valid_until", "status"])
    return wish


def wish_withdraw(*, wish: JobWish, user) -> JobWish:
    if user is not None and not in_scope(wish, user):
        raise PermissionDenied
    wish.status = WishStatus.WITHDRAWN
    wish.save(update_fields=["status"])
    return wish
