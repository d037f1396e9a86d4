"""The scheduled refresh of the dashboard's figures (``DashboardSnapshot``): the only place they are computed.

A visitor never waits for them: the page shows the stored figures with the time they were computed, or
"正在统计" for a reach, year or language nobody asked for before (the row is created then and computed by the
refresh's next run, started at once). The refresh (Celery beat, every five minutes - migration 0002) computes
every row: everything, every region some staff account works in, and the rows visitors asked for (a station
manager's stations, another year, another language); rows of those last kinds nobody has asked for in
``KEEP_ASKED`` are dropped.

The figures of a reach are computed as a stand-in user holding that reach (``reach_user``): the figures of a
region do not depend on which of its staff looks. The application figures are always computed; the page leaves
them out for a visitor who may not see the review queue."""

from __future__ import annotations

import datetime as dt
import pickle

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from dashboard.models import DashboardSnapshot
from dashboard.selectors.dashboard import dashboard_data
from unionhub.scoping import Reach, reach_of
from unionhub.services.jobs import job_create, job_enqueue

REFRESH_JOB = "dashboard.figures_refresh"
KEEP_ASKED = dt.timedelta(days=30)
# The parts of the figures that are not stored: when the scheduled tasks ran is read live (a handful of rows).
LIVE_KEYS = ("heartbeats",)


def snapshot_key(user) -> tuple[str, str, int | None]:
    """(key, region code, station manager's user id) of the user's reach."""
    reach = reach_of(user)
    if reach.everything:
        return "all", "", None
    if reach.region_code and not reach.manages_stations:
        return f"region:{reach.region_code}", reach.region_code, None
    return f"user:{user.pk}", reach.region_code or "", user.pk


def reach_user(snapshot: DashboardSnapshot):
    """The user the figures of ``snapshot`` are computed as: the station manager themself, or a stand-in
    holding the reach (everything or a region) with every view permission the figures ask about."""
    if snapshot.user_id is not None:
        return snapshot.user
    stand_in = get_user_model()(is_active=True, is_staff=True)
    stand_in._unionhub_reach = (
        Reach(everything=True)
        if snapshot.key == "all"
        else Reach(region_code=snapshot.region_code, user_id=None, manages_stations=False)
    )
    stand_in.has_perm = lambda perm, obj=None: True
    return stand_in


def snapshot_ask(*, user, year: int, language: str) -> DashboardSnapshot:
    """The row of the user's reach, year and language; created when nobody asked for it before, and then the
    refresh is started at once (the visitor sees "正在统计" meanwhile). One query when the row exists."""
    key, region_code, user_id = snapshot_key(user)
    found = DashboardSnapshot.objects.filter(key=key, year=year, language=language).first()
    now = timezone.now()
    if found is not None:
        if now - found.asked_at > dt.timedelta(days=1):  # kept while asked for (KEEP_ASKED), at most a write a day
            DashboardSnapshot.objects.filter(pk=found.pk).update(asked_at=now)
        return found
    try:
        with transaction.atomic():
            created = DashboardSnapshot.objects.create(
                key=key, year=year, language=language, region_code=region_code, user_id=user_id
            )
            job_enqueue(job=job_create(kind=REFRESH_JOB, user=user))
    except IntegrityError:  # a second visitor created it at the same moment
        return DashboardSnapshot.objects.get(key=key, year=year, language=language)
    return created


def _staff_regions() -> set[str]:
    user_model = get_user_model()
    rows = user_model.objects.filter(is_active=True, is_staff=True, scope__region__isnull=False)
    return set(rows.values_list("scope__region_id", flat=True).distinct())


def _expected_rows(today: dt.date) -> None:
    """Make the rows the refresh always keeps: everything and every staff region, this year, in the site's
    language."""
    language = settings.LANGUAGE_CODE
    wanted = [("all", "")] + [(f"region:{code}", code) for code in sorted(_staff_regions())]
    have = set(DashboardSnapshot.objects.filter(year=today.year, language=language).values_list("key", flat=True))
    DashboardSnapshot.objects.bulk_create(
        [
            DashboardSnapshot(key=key, year=today.year, language=language, region_code=code)
            for key, code in wanted
            if key not in have
        ],
        ignore_conflicts=True,
    )


def dashboard_refresh(*, today: dt.date | None = None, progress=None) -> dict:
    """Compute the figures of every row (see the module). Each row is written on its own, so a failure in one
    reach leaves the others' figures current. Idempotent."""
    today = today or timezone.localdate()
    DashboardSnapshot.objects.filter(asked_at__lt=timezone.now() - KEEP_ASKED).exclude(
        key__startswith="region:", year=today.year
    ).exclude(key="all", year=today.year).delete()
    _expected_rows(today)
    rows = list(DashboardSnapshot.objects.select_related("user").order_by("pk"))
    computed = 0
    for snapshot in rows:
        user = reach_user(snapshot)
        if snapshot.user_id is not None and not (user.is_active and user.is_staff):
            snapshot.delete()
            continue
        with translation.override(snapshot.language):
            figures = dashboard_data(user, year=snapshot.year, today=today)
        for key in LIVE_KEYS:
            figures.pop(key, None)
        DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
            figures=pickle.dumps(figures, protocol=pickle.HIGHEST_PROTOCOL), computed_at=timezone.now()
        )
        computed += 1
        if progress is not None:
            progress(computed, len(rows))
    return {"computed": computed}
