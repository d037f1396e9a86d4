"""The nearest-stations endpoint's station cards, cached in the process.

What a card shows (code, name, kind, town, address, position, opening hours) changes a few times a year per
station, while the endpoint is asked for it on every phone's every look at the map. So each process keeps the
stations it has read - model instances with their town and opening hours, read-only once cached: nothing of
one request (distance, "open now") is ever set on them; the endpoint builds a fresh dict per answer from
them. Which stations are the nearest, and that they are still operating, is asked of the database every time
(the box query of ``stations.selectors.registry.nearest_slice``); only the cards come from here.

Kept right: saving or deleting a station or an opening period (admin, services) bumps a version in the shared
cache (Redis in production), which every process compares with its own before each use and drops its cards
on a change; and cards older than ``CARD_SECONDS`` are dropped whatever happens (a change written with
``QuerySet.update()`` sends no signal)."""

from __future__ import annotations

import threading
import time
import uuid

from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from stations.models import OpeningHours, Station
from stations.selectors.registry import public_stations

VERSION_KEY = "api:station-cards:version"
CARD_SECONDS = 60


class _Cards:
    def __init__(self):
        self.lock = threading.Lock()
        self.version: str | None = None
        self.started = 0.0
        self.by_pk: dict[int, Station] = {}


_cards = _Cards()


def cards_version_bump(**kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _current() -> dict[int, Station]:
    version = cache.get(VERSION_KEY)
    now = time.monotonic()
    if version != _cards.version or now - _cards.started > CARD_SECONDS:
        with _cards.lock:
            if version != _cards.version or now - _cards.started > CARD_SECONDS:
                _cards.by_pk = {}  # a new dict: a request still reading the old one keeps it whole
                _cards.version, _cards.started = version, now
    return _cards.by_pk


def station_cards(pks: list[int]) -> list[Station]:
    """The operating stations ``pks`` in that order, read-only (never set attributes on them), one query and
    its opening hours' for those not yet cached; a station no longer operating is left out."""
    cards = _current()
    missing = [pk for pk in pks if pk not in cards]
    if missing:
        rows = public_stations().prefetch_related(None).prefetch_related("opening_hours").in_bulk(missing)
        cards.update(rows)
    return [cards[pk] for pk in pks if pk in cards]


class _IdsOnly(QuerySet):
    """Stations as ids: ``in_bulk`` answers the ids it is given, with no query. ``nearest_slice`` finds the
    nearest ids in its box query, then reads those rows with ``in_bulk`` - a second round trip that the cards
    make needless (they are the rows). Its fallback (no box holds enough) returns rows: ``ids_of`` takes both."""

    def in_bulk(self, id_list=None, *, field_name="pk"):
        return {pk: pk for pk in id_list or ()}


def as_ids(stations: QuerySet) -> QuerySet:
    return _IdsOnly(model=stations.model, query=stations.query.chain(), using=stations.db)


def ids_of(rows) -> list[int]:
    return [row if isinstance(row, int) else row.pk for row in rows]


def cards_watch() -> None:
    for model in (Station, OpeningHours):
        post_save.connect(cards_version_bump, sender=model, dispatch_uid=f"api.cards:{model.__name__}:save")
        post_delete.connect(cards_version_bump, sender=model, dispatch_uid=f"api.cards:{model.__name__}:delete")
