"""Writing tombstones (``api.models.Deletion``) for the models the API lists: ``deletions_watch(models)``,
called once at start-up with the list specs' models.

Django's deleting collector sends ``pre_delete`` for every row it is about to delete (its whole cascade)
before deleting any, then deletes model by model - rows that depend on others first - and sends
``post_delete``. So ``pre_delete`` only notes the row (no query), and the first ``post_delete`` of a model in
that deletion resolves every noted row's region code and station in one query per path (the rows they hang
from are still there: they go later, if at all) and writes the tombstones in one INSERT, inside the deletion's
own transaction - rolled back with it; with them, in one INSERT more, the users who reached those rows by
assignment (``DeletionReader``: a request's handler and its holding union's). A ``QuerySet.delete()`` of ten
thousand rows costs a few queries more, not ten thousand; it does lose Django's "fast delete" (rows are read
before they go), which is the price of knowing what went. Raw SQL and TRUNCATE write none (backups, test flushes)."""

from __future__ import annotations

import threading

from django.db.models import Model
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone

from api.models import Deletion, DeletionReader
from unionhub.scoping import scope_path

_pending = threading.local()


def _noted() -> dict:
    if not hasattr(_pending, "rows"):
        _pending.rows = {}
    return _pending.rows


def resolve_path(model: type[Model], rows: list[Model], path: str | None) -> list:
    """The value ``path`` (a scoping path: ``"station__region__code"``, ``""`` for the row itself) leads to for
    each row, with one query for the rows the first step points at; None where there is none."""
    if path is None:
        return [None] * len(rows)
    if path == "":
        return [row.pk for row in rows]
    first, _sep, rest = path.partition("__")
    field = model._meta.get_field(first)
    if not field.is_relation:
        return [getattr(row, first) for row in rows]
    ids = [getattr(row, field.attname) for row in rows]
    if not rest or rest == field.target_field.name:
        return ids
    related = field.related_model._base_manager.filter(pk__in={i for i in ids if i is not None})
    values = dict(related.values_list("pk", rest))
    return [values.get(i) for i in ids]


def resolve_users(model: type[Model], rows: list[Model], path: str) -> list[set[int]]:
    """The user ids a ``users`` scoping path (``"handler"``, ``"holder__handlers__user"``) leads to for each
    row: its first step read from the row (the row itself is gone by now), the rest in one query."""
    first, _sep, rest = path.partition("__")
    field = model._meta.get_field(first)
    if not (field.is_relation and field.many_to_one):
        return [set() for _row in rows]
    ids = [getattr(row, field.attname) for row in rows]
    if not rest:
        return [{i} if i is not None else set() for i in ids]
    reached: dict[int, set[int]] = {}
    related = field.related_model._base_manager.filter(pk__in={i for i in ids if i is not None})
    for pk, user_id in related.values_list("pk", rest):
        if user_id is not None:
            reached.setdefault(pk, set()).add(user_id)
    return [reached.get(i, set()) for i in ids]


def _note(sender, instance, origin=None, **kwargs) -> None:
    _noted().setdefault(sender, []).append((origin, instance))


def _write(sender, instance, origin=None, **kwargs) -> None:
    noted = _noted().pop(sender, [])
    rows = [row for row_origin, row in noted if row_origin is origin and row.pk is not None]
    if not rows:
        return
    path = scope_path(sender)
    regions = resolve_path(sender, rows, path.region if path else None)
    stations = resolve_path(sender, rows, path.station if path else None)
    label, now = sender._meta.label_lower, timezone.now()
    tombstones = Deletion.objects.bulk_create(
        Deletion(model=label, object_id=row.pk, region_code=str(region or "")[:12], station_id=station,
                 deleted_at=now)
        for row, region, station in zip(rows, regions, stations, strict=True)
    )  # fmt: skip
    if path and path.users:
        readers = [set() for _row in rows]
        for user_path in path.users:
            for found, users in zip(readers, resolve_users(sender, rows, user_path), strict=True):
                found |= users
        DeletionReader.objects.bulk_create(
            DeletionReader(deletion=tombstone, user_id=user)
            for tombstone, users in zip(tombstones, readers, strict=True)
            for user in users
        )


def deletions_watch(models) -> None:
    for model in models:
        uid = f"api.deletions:{model._meta.label_lower}"
        pre_delete.connect(_note, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_write, sender=model, dispatch_uid=uid, weak=False)
