"""What workers see: a station's current vacancies (published, in force, not filled), nearest stations' too."""

from __future__ import annotations

from django.db.models import QuerySet

from employment.models import Vacancy
from stations.choices import StationStatus

PUBLIC_LIMIT = 30


def station_vacancies(station, today=None) -> QuerySet:
    return (
        Vacancy.objects.filter(station=station)
        .current(today)
        .select_related("town")
        .order_by("-created_at", "-pk")[:PUBLIC_LIMIT]
    )


def current_vacancies(today=None) -> QuerySet:
    """Every station's current vacancies, newest first (the finder's list)."""
    return (
        Vacancy.objects.current(today)
        .filter(station__status=StationStatus.OPERATING)
        .select_related("station", "town")
        .order_by("-created_at", "-pk")
    )
