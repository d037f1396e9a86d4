"""Index helpers for the models' ``Meta.indexes``."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import Index
from django.db.models.functions import Right, Upper

from unionhub.personal.numbers import TAIL_LENGTH


def trigram_index(field: str, *, name: str) -> GinIndex:
    """A pg_trgm GIN index on ``UPPER(field)``: the expression Django's ``icontains`` compares on PostgreSQL,
    so ``field__icontains`` is served by it (for terms of three characters or more). PostgreSQL only: see
    ``unionhub.db.operations.AddIndexSafely``. ``django.contrib.postgres`` must be installed: its app config
    teaches Django to write ``(UPPER(name)) gin_trgm_ops`` rather than wrap the operator class too."""
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


def tail_index(field: str, *, name: str) -> Index:
    """A btree index on the field's last four characters (``RIGHT(field, 4)``), the expression
    ``unionhub.search`` compares a caller's "尾号1813" with: one index lookup instead of ``LIKE '%1813'``, which
    no index serves. On both databases; nothing to fill in on save or in a bulk load (COPY)."""
    return Index(tail_of(field), name=name)


def tail_of(field: str) -> Right:
    """The expression a tail index holds and a tail search compares (they must be the same to meet)."""
    return Right(field, TAIL_LENGTH)
