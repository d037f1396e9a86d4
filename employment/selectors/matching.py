"""Matching, both ways, computed in the database: a vacancy's wishes and a wish's vacancies, ranked.

Who fits: the same occupation, still open (not expired, not placed or filled). The rank, out of 100:

* occupation - 40 (every candidate has it: the occupation is what makes a candidate);
* distance - 30 at the same place, falling linearly to 0 at ``MATCH_RADIUS_KM`` (a row with no position: 0);
  measured between the vacancy's pin (or its station) and the wish's station, on a local flat projection
  (an error far below a kilometre at county distances), so it needs no trigonometry in SQL;
* pay - 20 when the vacancy's monthly pay reaches what the worker expects, else in proportion;
* hours - 10 when the vacancy's hours a day are within the worker's limit.

Ties go to the newer row. Every term is an SQL expression over the candidate's own float copies
(``match_latitude``, ``match_longitude``, ``match_pay``, kept by the database) and the one row's constants.
The ranking runs in two steps inside one query: the best ``limit`` ids are chosen from a partial covering index
(an index-only scan reading nothing but the index: no numeric casts, no table rows), and only those rows are
read whole and scored again for display. The order is the same as scoring every row whole."""

from __future__ import annotations

import math
from decimal import Decimal

from django.db.models import Case, ExpressionWrapper, F, FloatField, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest, Least, Sqrt

from employment.choices import MATCH_RADIUS_KM
from employment.models import JobWish, Vacancy

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LNG = 111.320
OCCUPATION_POINTS, DISTANCE_POINTS, PAY_POINTS, HOURS_POINTS = 40, 30, 20, 10
RANKED = 50  # rows a ranking returns unless asked for more


def _distance_km(lat: float, lng: float):
    """Distance in km from a fixed point to the row's position; NULL when the row has none."""
    dy = (F("match_latitude") - Value(lat)) * Value(KM_PER_DEGREE_LAT)
    dx = (F("match_longitude") - Value(lng)) * Value(KM_PER_DEGREE_LNG * math.cos(math.radians(lat)))
    return ExpressionWrapper(Sqrt(dx * dx + dy * dy), output_field=FloatField())


def _distance_points(position):
    if position is None:
        return Value(0.0)
    share = Value(1.0) - F("distance_km") / Value(float(MATCH_RADIUS_KM))
    return Coalesce(Greatest(Value(0.0), share), Value(0.0)) * Value(float(DISTANCE_POINTS))


def vacancy_position(vacancy: Vacancy) -> tuple[float, float] | None:
    if vacancy.latitude is not None:
        return float(vacancy.latitude), float(vacancy.longitude)
    return vacancy.station.coordinates


def wish_position(wish: JobWish) -> tuple[float, float] | None:
    return (float(wish.latitude), float(wish.longitude)) if wish.latitude is not None else None


def _scored(queryset: QuerySet, position, pay_points, hours_points) -> QuerySet:
    distance = _distance_km(*position) if position else Value(None, output_field=FloatField())
    queryset = queryset.annotate(distance_km=distance)
    score = Value(float(OCCUPATION_POINTS)) + _distance_points(position) + pay_points + hours_points
    return queryset.annotate(score=ExpressionWrapper(score, output_field=FloatField())).order_by("-score", "-pk")


def _ranked(model, candidates: QuerySet, limit: int, *terms) -> QuerySet:
    """The best ``limit`` candidates (chosen on the narrow index), then those rows whole, scored and ordered."""
    best = _scored(candidates, *terms).values("pk")[:limit]
    return _scored(model.objects.filter(pk__in=best), *terms)


def wishes_for_vacancy(
    vacancy: Vacancy, *, queryset: QuerySet | None = None, today=None, limit: int = RANKED
) -> QuerySet:
    """The ``limit`` wishes that fit ``vacancy`` best, best first, each with ``score`` and ``distance_km``."""
    base = (JobWish.objects.all() if queryset is None else queryset).waiting(today)
    base = base.filter(occupation=vacancy.occupation, consent=True)
    pay = float(vacancy.monthly_high or Decimal(0))
    pay_points = Least(Value(1.0), Value(pay) / Greatest(F("match_pay"), Value(1.0))) * Value(float(PAY_POINTS))
    hours_points = Case(
        When(max_daily_hours__gte=vacancy.daily_hours, then=Value(float(HOURS_POINTS))),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return _ranked(JobWish, base, limit, vacancy_position(vacancy), pay_points, hours_points)


def vacancies_for_wish(wish: JobWish, *, queryset: QuerySet | None = None, today=None, limit: int = RANKED) -> QuerySet:
    """The ``limit`` current vacancies that fit ``wish`` best, best first, each with ``score`` and ``distance_km``."""
    base = (Vacancy.objects.all() if queryset is None else queryset).current(today)
    base = base.filter(occupation=wish.occupation)
    expected = max(float(wish.pay_expected), 1.0)
    pay_points = Least(Value(1.0), F("match_pay") / Value(expected)) * Value(float(PAY_POINTS))
    hours_points = Case(
        When(daily_hours__lte=wish.max_daily_hours, then=Value(float(HOURS_POINTS))),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return _ranked(Vacancy, base, limit, wish_position(wish), pay_points, hours_points)
