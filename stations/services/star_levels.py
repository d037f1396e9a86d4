"""Star levels: the level a station holds on a day, and lowering or revoking it.

Below both the evaluations (``ratings``: approving one records a level, and a first level awards a plaque)
and the plaques (``plaques``: a plaque needs a level in force, and removing it revokes the level), so that
neither of those imports the other's caller."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import StarRating, Station
from stations.models.ratings import StarChange


def star_in_force(station: Station, day: dt.date | None = None) -> StarRating | None:
    """The star level a station holds on a day: the latest step started on or before it, if still valid and
    above 0 stars. None when never rated, expired, below one star or revoked."""
    day = day or timezone.localdate()
    latest = StarRating.objects.filter(station=station, valid_from__lte=day).order_by("-valid_from", "-pk").first()
    return latest if latest and latest.in_force_on(day) else None


@transaction.atomic
def star_rating_adjust(
    *, station: Station, stars: int, reason: str, user=None, date: dt.date | None = None, dry_run: bool = False
) -> StarRating | None:
    """Downgrade (fewer stars, same expiry) or, with 0 stars, revoke the star level a station holds, from
    ``date``. Raising a level takes an approved evaluation; there must be a level in force to lower.
    ``dry_run``: only check."""
    date = date or timezone.localdate()
    Station.objects.select_for_update().get(pk=station.pk)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the change of star level."))
    current = star_in_force(station, date)
    if current is None:
        raise ValidationError(_("The station holds no star level on %(date)s.") % {"date": date})
    if stars >= current.stars:
        raise ValidationError(_("A star level is raised or renewed only by an approved evaluation."))
    if dry_run:
        return None
    rating = StarRating(
        station=station,
        stars=stars,
        valid_from=date,
        valid_until=current.valid_until if stars else None,
        change=StarChange.DOWNGRADED if stars else StarChange.REVOKED,
        reason=reason[:200],
        decided_by=user,
    )
    rating.full_clean()
    rating.save()
    return rating


def star_rating_revoke(*, station: Station, reason: str, user=None, date: dt.date | None = None) -> StarRating:
    """Revoke the star level a station holds (see ``star_rating_adjust``)."""
    return star_rating_adjust(station=station, stars=0, reason=reason, user=user, date=date)
