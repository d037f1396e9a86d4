"""Index helpers for the models' ``Meta.indexes``."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import BooleanField, F, Func, Index, Subquery
from django.db.models.functions import Right, Upper

from unionhub.personal.numbers import TAIL_LENGTH


def trigram_index(field: str, *, name: str) -> GinIndex:
    """A pg_trgm GIN index on ``UPPER(field)``: the expression Django's ``icontains`` compares on PostgreSQL,
    so ``field__icontains`` is served by it (for terms of three characters or more). PostgreSQL only: see
    ``unionhub.db.operations.AddIndexSafely``. ``django.contrib.postgres`` must be installed: its app config
    teaches Django to write ``(UPPER(name)) gin_trgm_ops`` rather than wrap the operator class too."""
    return GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=name)


def tail_index(field: str, *, name: str, within: str | None = None) -> Index:
    """A btree index on the field's last four characters (``RIGHT(field, 4)``), the expression
    ``unionhub.search`` compares a caller's "尾号1813" with: one index lookup instead of ``LIKE '%1813'``, which
    no index serves. On both databases; nothing to fill in on save or in a bulk load (COPY).

    ``within``: a column the index begins with (the member register's county). A county's rows then sit in one
    run of the index, so a county's roster import writes a county's share of its pages instead of pages all
    over it; the search asks the tail county by county (``Among``)."""
    leading = [F(within)] if within else []
    return Index(*leading, tail_of(field), name=name)


def tail_of(field: str) -> Right:
    """The expression a tail index holds and a tail search compares (they must be the same to meet)."""
    return Right(field, TAIL_LENGTH)


class Among(Func):
    """``column`` is one of the values ``queryset`` selects (one column).

    On PostgreSQL ``column = ANY(ARRAY(SELECT …))``: the list is read first, and an index that begins with the
    column is then entered once per value - PostgreSQL 15 cannot skip through an index's first column on its
    own. Elsewhere ``column IN (SELECT …)``."""

    output_field = BooleanField()

    def __init__(self, column: str, queryset) -> None:
        super().__init__(F(column), Subquery(queryset))

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="%(expressions)s", arg_joiner=" IN ", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="%(expressions)s)", arg_joiner=" = ANY(ARRAY", **extra_context
        )
