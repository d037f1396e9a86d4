"""Workers' own ratings of a station (the public rate page): one per mobile number and station a month,
stored with a keyed digest of the number, never the number itself."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import (
    Station,
    StationRating,
)
from stations.services.ratings import RATEABLE
from unionhub.personal import MOBILE, mask
from unionhub.validators import normalize_mobile

# --- workers' ratings ------------------------------------------------------------------------------------


def mobile_digest(mobile: str) -> str:
    """A keyed hash of a normalised mobile number: enough to enforce one rating a month, useless to harvest."""
    return hmac.new(settings.SECRET_KEY.encode(), mobile.encode(), hashlib.sha256).hexdigest()


def station_rating_submit(
    *, station: Station, mobile: str, score: int, comment: str = "", today: dt.date | None = None
) -> StationRating:
    """Record a worker's rating of a station (1 to 5 and a comment). One per mobile number, station and
    calendar month; refused for a station that is not operating or rectifying, a bad number or score."""
    if station.status not in RATEABLE:
        raise ValidationError(_("This station is not open for ratings."))
    number = normalize_mobile(mobile)
    month = (today or timezone.localdate()).replace(day=1)
    digest = mobile_digest(number)
    duplicate = ValidationError(
        _("This number has already rated this station this month. Thank you!"), code="duplicate"
    )
    if StationRating.objects.filter(station=station, mobile_hash=digest, month=month).exists():
        raise duplicate
    rating = StationRating(
        station=station,
        month=month,
        score=score,
        comment=(comment or "").strip()[:300],
        mobile_hash=digest,
        mobile_masked=mask(number, MOBILE),  # the number itself is kept only as a digest
    )
    rating.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:  # the same number submitting twice at once
        raise duplicate from None
    return rating
