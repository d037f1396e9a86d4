"""Reads about star levels and satisfaction, for the Station changelist filters and the dashboard. Every
function takes a station queryset the caller has already scoped, so scoping stays in one place."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from stations.choices import StationStatus
from stations.models import Evaluation, StarRating, StationRating
from stations.models.ratings import EvaluationStatus
from stations.selectors.registry import stations_inactive, stations_with_overdue_rectification

ACTIVE = (StationStatus.OPERATING, StationStatus.RECTIFYING)


def with_star_level(stations: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Stations annotated with ``star_stars`` and ``star_until``: the latest star-level step started on or
    before ``today`` (None when never rated). In force when ``star_stars > 0`` and not expired; see
    ``in_force``."""
    today = today or timezone.localdate()
    latest = StarRating.objects.filter(station=OuterRef("pk"), valid_from__lte=today).order_by("-valid_from", "-pk")
    return stations.annotate(
        star_stars=Subquery(latest.values("stars")[:1]), star_until=Subquery(latest.values("valid_until")[:1])
    )


def _in_force(today: dt.date) -> Q:
    return Q(star_stars__gt=0) & (Q(star_until__isnull=True) | Q(star_until__gte=today))


def stations_with_stars(stations: QuerySet, stars: int, today: dt.date | None = None) -> QuerySet:
    """Stations holding exactly ``stars`` stars today; ``stars=0``: holding no star level."""
    today = today or timezone.localdate()
    annotated = with_star_level(stations, today)
    if stars == 0:
        return annotated.exclude(_in_force(today))
    return annotated.filter(_in_force(today), star_stars=stars)


def stations_star_expiring(stations: QuerySet, today: dt.date | None = None, days: int | None = None) -> QuerySet:
    """Stations whose star level in force runs out within ``days`` (STAR_EXPIRY_WARNING_DAYS) days."""
    today = today or timezone.localdate()
    days = days or settings.STAR_EXPIRY_WARNING_DAYS
    until = today + dt.timedelta(days=days)
    # Only a station with a star step running out in the window can qualify: asked first, from that step's
    # index, the latest step is looked up for those few stations, not for every station of a province.
    ending = StarRating.objects.filter(
        stars__gt=0, valid_from__lte=today, valid_until__gte=today, valid_until__lte=until
    )
    candidates = stations.filter(pk__in=ending.values("station"))
    return with_star_level(candidates, today).filter(_in_force(today), star_until__lte=until)


def stations_due_for_reevaluation(stations: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Operating or rectifying stations with no evaluation under way whose star level is not in force (never
    rated, expired, revoked) or whose last approved evaluation is older than STAR_REEVALUATION_MONTHS."""
    today = today or timezone.localdate()
    since = today - relativedelta(months=settings.STAR_REEVALUATION_MONTHS)
    under_way = Evaluation.objects.filter(
        station=OuterRef("pk"),
        status__in=[EvaluationStatus.DRAFT, EvaluationStatus.SUBMITTED, EvaluationStatus.RETURNED],
    )
    recent = Evaluation.objects.filter(station=OuterRef("pk"), status=EvaluationStatus.APPROVED, date__gt=since)
    return (
        with_star_level(stations.filter(status__in=ACTIVE), today)
        .exclude(Exists(under_way))
        .filter(~_in_force(today) | ~Exists(recent))
    )


def satisfaction_since(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today.replace(day=1) - relativedelta(months=settings.SATISFACTION_WINDOW_MONTHS - 1)


def stations_low_satisfaction(stations: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Stations whose workers rated them below SATISFACTION_LOW_AVERAGE on average over the window, from at
    least SATISFACTION_MIN_RATINGS ratings (Shenyang rectifies low-satisfaction stops)."""
    low = (
        StationRating.objects.filter(station__in=stations, month__gte=satisfaction_since(today))
        .values("station")
        .annotate(n=Count("pk"), avg=Avg("score"))
        .order_by()
        .filter(n__gte=settings.SATISFACTION_MIN_RATINGS, avg__lt=settings.SATISFACTION_LOW_AVERAGE)
        .values("station")
    )
    return stations.filter(pk__in=low)


def rating_flags(stations: QuerySet, today: dt.date | None = None) -> dict[str, int]:
    """Counts for the dashboard, one query each: stars expiring soon, due for re-evaluation, low
    satisfaction, overdue rectification, no activity for STATION_INACTIVE_MONTHS months."""
    today = today or timezone.localdate()
    return {
        "stars_expiring": stations_star_expiring(stations, today).count(),
        "due_for_reevaluation": stations_due_for_reevaluation(stations, today).count(),
        "low_satisfaction": stations_low_satisfaction(stations, today).count(),
        "overdue_rectification": stations_with_overdue_rectification(stations, today).count(),
        "inactive": stations_inactive(stations, today=today).count(),
    }


def star_history(station) -> QuerySet:
    return StarRating.objects.filter(station=station).select_related("evaluation").order_by("-valid_from", "-pk")


__all__ = [
    "rating_flags",
    "satisfaction_since",
    "star_history",
    "stations_due_for_reevaluation",
    "stations_low_satisfaction",
    "stations_star_expiring",
    "stations_with_stars",
    "with_star_level",
]
