"""Plaques (授牌 / 摘牌): numbered per county and year, awarded to a rated station, revoked with a reason."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.choices import StationStatus
from stations.models import (
    PlaqueEvent,
    Station,
)
from stations.models.ratings import (
    PlaqueAction,
)
from stations.services.registry import station_change_status
from stations.services.star_levels import star_in_force, star_rating_revoke

# --- plaques ---------------------------------------------------------------------------------------------


def _next_plaque_number(station: Station, year: int) -> str:
    prefix = f"{station.region_id[:6]}-{year}-"
    taken = set(Station.objects.filter(plaque_number__startswith=prefix).values_list("plaque_number", flat=True))
    taken |= set(PlaqueEvent.objects.filter(number__startswith=prefix).values_list("number", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def plaque_award(
    *, station: Station, number: str = "", date: dt.date | None = None, user=None, dry_run: bool = False
) -> PlaqueEvent | None:
    """Award a plaque (授牌) to a station holding a star level, numbered ``<county>-<year>-NNN`` unless a
    number is given. Refused for a station that already has a plaque, is delisted, or holds no star level."""
    date = date or timezone.localdate()
    station = Station.objects.select_for_update().get(pk=station.pk)
    if station.plaque_number:
        raise ValidationError(_("The station already holds plaque %(number)s.") % {"number": station.plaque_number})
    if station.status == StationStatus.DELISTED:
        raise ValidationError(_("The station is delisted."))
    if star_in_force(station, date) is None:
        raise ValidationError(_("A plaque is awarded when a station holds a star level."))
    if dry_run:
        return None
    number = number.strip() or _next_plaque_number(station, date.year)
    event = PlaqueEvent(station=station, action=PlaqueAction.AWARDED, number=number, date=date, by=user, delist=False)
    event.full_clean()
    event.save()
    station.plaque_number, station.plaque_date = number, date
    station.save(update_fields=["plaque_number", "plaque_date"])
    return event


@transaction.atomic
def plaque_revoke(
    *,
    station: Station,
    reason: str,
    user=None,
    date: dt.date | None = None,
    delist: bool = True,
    dry_run: bool = False,
) -> PlaqueEvent | None:
    """Remove a station's plaque (摘牌) with a reason: its star level is revoked and, unless ``delist`` is
    False, it is delisted - which ends its subsidies from that day. Refused without a plaque or a reason."""
    date = date or timezone.localdate()
    station = Station.objects.select_for_update().get(pk=station.pk)
    if not station.plaque_number:
        raise ValidationError(_("The station holds no plaque."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for removing the plaque."))
    if dry_run:
        return None
    event = PlaqueEvent(
        station=station,
        action=PlaqueAction.REVOKED,
        number=station.plaque_number,
        date=date,
        reason=reason[:200],
        delist=delist,
        by=user,
    )
    event.full_clean()
    event.save()
    station.plaque_number, station.plaque_date = "", None
    station.save(update_fields=["plaque_number", "plaque_date"])
    if star_in_force(station, date):
        star_rating_revoke(station=station, reason=reason, user=user, date=date)
    if delist and station.status != StationStatus.DELISTED:
        station_change_status(
            station=station, to_status=StationStatus.DELISTED, reason=reason[:200], user=user, date=date
        )
    return event
