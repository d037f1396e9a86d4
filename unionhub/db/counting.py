"""Many counts in one statement: a page that shows a dozen counted links (the workbench) asks the database once.

``count_all([qs1, qs2, …])`` runs ``SELECT (SELECT COUNT(*) FROM (<qs1 as pk>) c0), (SELECT COUNT(*) …), …``
on each queryset's database - the counts ``qs.count()`` would give, one round trip instead of one per link.
Each queryset is reduced to its primary keys (``values("pk")``, ordering dropped), which keeps its filters,
joins and ``distinct()``; a sliced queryset is counted by ``count()`` as Django would."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def count_all(querysets: list[QuerySet]) -> list[int]:
    """The count of each queryset, in order: one statement per database they read."""
    counts: list[int | None] = [None] * len(querysets)
    by_database: dict[str, list[int]] = defaultdict(list)
    for index, queryset in enumerate(querysets):
        if queryset.query.is_sliced or queryset.query.combinator:
            counts[index] = queryset.count()
        else:
            by_database[queryset.db].append(index)
    for alias, indexes in by_database.items():
        parts, params = [], []
        asked = []
        for index in indexes:
            try:
                sql, values = querysets[index].order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:  # ``.none()`` or a filter that can match nothing: no SQL to run
                counts[index] = 0
                continue
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{len(asked)})")
            params.extend(values)
            asked.append(index)
        if not asked:
            continue
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            for index, value in zip(asked, cursor.fetchone(), strict=True):
                counts[index] = value
    return [int(count) for count in counts]
