"""Index helpers for the models' ``Meta.indexes``."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models.functions import Upper


def trigram_index(field: str, *, name: str) -> GinIndex:
    """A pg_trgm GIN index on ``UPPER(field)``: the expression Django's ``icontains`` compares on PostgreSQL,
    so ``field__icontains`` is served by it (for terms of three characters or more). PostgreSQL only: see
    ``unionhub.db.operations.AddIndexSafely``. ``django.contrib.postgres`` must be installed: its app config
    teaches Django to write ``(UPPER(name)) gin_trgm_ops`` rather than wrap the operator class too."""
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)
