"""Writing tombstones (``api.models.Deletion``) for the models the API lists: ``deletions_watch(models)``,
called once at start-up with the list specs' models.

Django's deleting collector sends ``pre_delete`` for every row it is about to delete (its whole cascade)
before deleting any, then deletes model by model - rows that depend on others first - and sends
``post_delete``. So ``pre_delete`` only notes the row (no query), and the first ``post_delete`` of a model in
that deletion resolves every noted row's region code and station in one query per path (the rows they hang
from are still there: they go later, if at all) and writes the tombstones in one INSERT, inside the deletion's
own transaction - rolled back with it. A ``QuerySet.delete()`` of ten thousand rows costs two queries more,
not ten thousand; it does lose Django's "fast delete" (rows are read before they go), which is the price of
knowing what went. Raw SQL and TRUNCATE write none (backups, test flushes)."""

from __future__ import annotations

import threading

from django.db.models import Model
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone

from api.models import Deletion
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
    Deletion.objects.bulk_create(
        Deletion(model=label, object_id=row.pk, region_code=str(region or "")[:12], station_id=station,
                 deleted_at=now)
        for row, region, station in zip(rows, regions, stations, strict=True)
    )  # fmt: skip


def deletions_watch(models) -> None:
    for model in models:
        uid = f"api.deletions:{model._meta.label_lower}"
        pre_delete.connect(_note, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_write, sender=model, dispatch_uid=uid, weak=False)
