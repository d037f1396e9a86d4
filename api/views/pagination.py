"""Cursor pagination: a page of rows newest first (``-pk``) and an opaque, signed cursor for the next one.

The cursor names the list it belongs to and the filters it was made with: one taken from another list, or
sent with other filters, is refused (400) - it would skip or repeat rows silently."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
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


def paginate(queryset: QuerySet, request, *, list_key: str, descending: bool = True) -> tuple[list, str | None]:
    """(the rows of this page, the next page's cursor or None) for ``request``'s ``cursor`` and ``limit``."""
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
        if not isinstance(data, dict) or data.get("l") != list_key or data.get("f") != filters:
            raise Problem(
                400,
                _("This cursor does not belong to this list with these filters. Start again without a cursor."),
                code="bad-cursor",
                errors={"cursor": [_("This cursor was not made by this list.")]},
            )
        after = data.get("k")
    ordering = "-pk" if descending else "pk"
    queryset = queryset.order_by(ordering)
    if after is not None:
        queryset = queryset.filter(pk__lt=after) if descending else queryset.filter(pk__gt=after)
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = signing.dumps({"l": list_key, "f": filters, "k": rows[-1].pk}, salt=SALT) if more else None
    return rows, cursor
