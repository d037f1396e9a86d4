"""Cursor pagination: a page of rows in a list's order (newest first, ``-pk``, unless the list names an order
its indexes serve) and an opaque, signed cursor for the next one: the last row's values of that order, which
the next page continues after by a row comparison (``(join_date, card_number) < (…)``) the index seeks to.

The cursor names the list it belongs to and the filters it was made with: one taken from another list, or
sent with other filters, is refused (400) - it would skip or repeat rows silently."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext as _

from api.views.problems import Problem

SALT = "api.cursor"
MAX_LIMIT = 200
NOT_FILTERS = {"cursor", "limit", "reveal"}


def _filters_key(params) -> str:
    items = sorted((k, tuple(params.getlist(k))) for k in params if k not in NOT_FILTERS)
    return hashlib.sha256(repr(items).encode()).hexdigest()[:16]


def page_limit(value) -> int:
    if value in (None, ""):
        return settings.API_PAGE_SIZE
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        field = _("Enter a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT}
        raise Problem(
            400, _("limit must be a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT}, errors={"limit": [field]}
        )
    return limit


def paginate(queryset: QuerySet, request, *, list_key: str, order: Sequence[str] = ("-pk",)) -> tuple[list, str | None]:
    """(the rows of this page, the next page's cursor or None) for ``request``'s ``cursor`` and ``limit``.

    ``order``: field names, all descending (``-``) or all ascending, whose values together are unique (end with
    the primary key or a unique field)."""
    directions = {name.startswith("-") for name in order}
    if len(directions) != 1:
        raise ValueError("paginate() orders every field the same way")
    descending = directions.pop()
    names = [name.lstrip("-") for name in order]
    params = request.GET
    limit = page_limit(params.get("limit"))
    filters = _filters_key(params)
    after = None
    raw = params.get("cursor")
    if raw:
        try:
            data = signing.loads(raw, salt=SALT)
        except signing.BadSignature:
            data = None
        if not isinstance(data, dict):
            data = {}
        after = data.get("k")
        if (
            (data.get("l"), data.get("f")) != (list_key, filters)
            or not isinstance(after, list)
            or len(after) != len(names)
        ):
            raise Problem(
                400,
                _("This cursor does not belong to this list with these filters. Start again without a cursor."),
                code="bad-cursor",
                errors={"cursor": [_("This cursor was not made by this list.")]},
            )
    queryset = queryset.order_by(*order)
    if after is not None:
        beyond = TupleLessThan if descending else TupleGreaterThan
        queryset = queryset.filter(beyond(tuple(F(name) for name in names), tuple(after)))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = None
    if more:
        last = [_cursor_value(rows[-1], name) for name in names]
        cursor = signing.dumps({"l": list_key, "f": filters, "k": last}, salt=SALT)
    return rows, cursor


def _cursor_value(row, name: str):
    value = getattr(row, name)
    return value if isinstance(value, (int, str)) else value.isoformat()
