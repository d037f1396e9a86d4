"""The admin's date hierarchy without a scan of the whole list.

Django's ``{% date_hierarchy %}`` asks for ``MIN``/``MAX`` of the date over the filtered list and then for
its distinct years (or months, or days): both aggregate every row - 280 ms for a county of a million members,
on every page. Here the first and the last date are two ``ORDER BY … LIMIT 1`` queries that an index on the
date answers by reading one row each, and the choices are every year (month, day) between them. A year with
no rows at all may be offered, and then lists nothing: an honest trade for not reading a million rows.

The two dates are kept in the cache for ``ENDS_SECONDS`` per list (its SQL: scope and filters): they were the
slowest statement of most member-list pages at a million members (3-5 ms), for links that change once a year.
A member who joins on a date past the last one kept shows in the list at once; the links follow within minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Subquery
from django.utils import timezone

register = template.Library()
ENDS_SECONDS = 300


class _Ends:
    """Stands in for ``cl.queryset`` in Django's date_hierarchy: the same answers from two one-row queries."""

    def __init__(self, queryset, field: str):
        self.queryset, self.field, self._ends = queryset, field, None

    def ends(self):
        if self._ends is None:
            try:
                sql = str(self.queryset.order_by().query)
            except EmptyResultSet:  # a list that can match nothing (``pk__in=[]``)
                self._ends = (None, None)
                return self._ends
            key = "dh-ends:" + hashlib.sha1(f"{self.queryset.db}:{self.field}:{sql}".encode()).hexdigest()
            kept = cache.get(key)
            if kept is not None:
                self._ends = tuple(kept)
                return self._ends
            # One statement: two uncorrelated one-row subqueries (PostgreSQL runs each once, as an InitPlan).
            first = self.queryset.order_by(self.field).values(self.field)[:1]
            last = self.queryset.order_by(f"-{self.field}").values(self.field)[:1]
            row = (
                self.queryset.model._default_manager.annotate(first=Subquery(first), last=Subquery(last))
                .order_by()
                .values_list("first", "last")[:1]
            )
            self._ends = next(iter(row), (None, None))
            cache.set(key, list(self._ends), ENDS_SECONDS)
        return self._ends

    def aggregate(self, **kwargs):
        first, last = self.ends()
        return {"first": first, "last": last}

    def dates(self, field, kind):
        first, last = self.ends()
        if first is None:
            return []
        if isinstance(first, dt.datetime):
            first, last = (timezone.localtime(v).date() if timezone.is_aware(v) else v.date() for v in (first, last))
        return list(_steps(first, last, kind))

    def datetimes(self, field, kind):
        return [dt.datetime.combine(day, dt.time.min) for day in self.dates(field, kind)]


def _steps(first: dt.date, last: dt.date, kind: str):
    if kind == "year":
        yield from (dt.date(year, 1, 1) for year in range(first.year, last.year + 1))
    elif kind == "month":
        month = dt.date(first.year, first.month, 1)
        while month <= last:
            yield month
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    else:
        day = first
        while day <= last:
            yield day
            day += dt.timedelta(days=1)


class _CheapChangeList:
    def __init__(self, cl):
        self._cl = cl
        self.queryset = _Ends(cl.queryset, cl.date_hierarchy)

    def __getattr__(self, name):
        return getattr(self._cl, name)


def cheap_date_hierarchy(cl):
    if not getattr(cl.model_admin, "cheap_date_hierarchy", False):
        return date_hierarchy(cl)  # a plain ModelAdmin keeps Django's behaviour
    if cl.query:
        # A search result is a handful of rows; the first/last lookup under a search term could walk the whole
        # date index looking for a match (757 ms at 1M members), for links nobody needs there.
        return {"show": False}
    return date_hierarchy(_CheapChangeList(cl))


@register.tag(name="cheap_date_hierarchy")
def cheap_date_hierarchy_tag(parser, token):
    return InclusionAdminNode(parser, token, func=cheap_date_hierarchy, template_name="date_hierarchy.html",
                              takes_context=False)  # fmt: skip
