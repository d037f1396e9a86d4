"""Lists as selectors: the one way a list of rows is read, whoever reads it (the admin's changelists, background
exports, the dashboard and workbench, later the API).

Each app names its lists in ``<app>/selectors/lists.py`` and their filters in ``<app>/filtersets.py``. A list
selector reads in three steps, each once:

1. **reach and permission** - ``<thing>s_reached(user, queryset=None)`` is the scoped base (``scope_queryset``,
   or casework's ``requests_reached``): the rows the user may see, nothing else. The admin's changelist reads it
   (``ScopedAdminMixin.scoped_base``), so the list and everything read through the selector share one scope.
   ``<thing>_list(*, user, filters=None, search="")`` first checks the model's view (or change) permission with
   :func:`require_view`: a user without it is refused with ``PermissionDenied`` - an empty list would look
   like "nothing there" to a caller that forgot to check, and a refusal is what the admin answers too;
2. **filters** - the app's FilterSet, whose field names are the admin changelist's query parameters
   (``status__exact``, ``union__id__exact``, a SimpleListFilter's ``parameter_name``, the date hierarchy's
   ``join_date__year``/``__month``/``__day``), so a changelist's query string - which an export stores - reads
   the same rows through the selector (:func:`filtered`; a malformed value is a ``ValidationError``, never
   quietly ignored, which would widen the list);
3. **search** - the identifier-aware search of ``unionhub.search`` where the list has one.

The FilterSet filters whatever queryset it is given, so it never widens what the caller may see.
"""

from __future__ import annotations

import datetime as dt
import functools

import django_filters
from django import forms as django_forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.scoping import AREA_PARAMETER, area_condition, has_area, is_area_code

Filters = dict | QueryDict | None

# A changelist's parameters that are not filters: paging, sorting, "show all", search (the term is passed apart),
# the private search's token, facets, popups, the error flag, the filters preserved for the next page.
NOT_FILTERS = frozenset({"p", "o", "all", "q", "q_token", "e", "_facets", "_popup", "_to_field", "_changelist_filters"})


def may_view(user, model: type[models.Model]) -> bool:
    """The admin's rule (``has_view_permission``): the view or the change permission on the model."""
    opts = model._meta
    return bool(user) and (
        user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


def require_view(user, model: type[models.Model]) -> None:
    """Refuse (``PermissionDenied``) a user who may not see ``model``'s list at all."""
    if not may_view(user, model):
        raise PermissionDenied


def filtered(filterset_class: type[django_filters.FilterSet], queryset: QuerySet, filters: Filters, **kwargs):
    """``queryset`` narrowed by ``filterset_class`` over ``filters`` (a dict or a QueryDict, such as a changelist's
    query string parsed). The changelist's parameters that are not filters (``NOT_FILTERS``: paging, sorting, a
    search token) are left alone; any other key the FilterSet does not know, or a known key with a malformed value,
    raises ``ValidationError`` - ignored, it would read more rows than the list it came from."""
    if filters is None:
        filters = QueryDict()  # bound all the same: a FilterSet may have a default (the queue's pending)
    elif not isinstance(filters, QueryDict):
        data = QueryDict(mutable=True)
        for key, value in filters.items():
            data.setlist(key, [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)])
        filters = data
    filters = _aliased(filters, filterset_class.base_filters)
    unknown = sorted(set(filters) - set(filterset_class.base_filters) - NOT_FILTERS)
    if unknown:
        raise ValidationError(_("These filters are not known: %(names)s") % {"names": ", ".join(unknown)})
    filterset = _narrowed(filterset_class, frozenset(filters) - NOT_FILTERS)(filters, queryset=queryset, **kwargs)
    if not filterset.is_valid():
        raise ValidationError(
            [f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in filterset.errors.items()]
        )
    return filterset.qs


@functools.lru_cache(maxsize=512)
def _narrowed(filterset_class: type[django_filters.FilterSet], names: frozenset[str]):
    """``filterset_class`` with only the filters ``names`` gives, for reading one query string. A filter given no
    value filters nothing, so the rows are the same; but a FilterSet copies all its filters and builds a form
    field for each on every use (a list's has 10-20; the workbench reads some 20 lists a page). The class made
    for a set of names is kept: it holds filter definitions only, nothing of a request."""
    narrowed = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    narrowed.base_filters = {name: spec for name, spec in filterset_class.base_filters.items() if name in names}
    return narrowed


def _aliased(filters: QueryDict, known) -> QueryDict:
    """The changelist also takes a list filter's field named plainly (``occupation=employee``, ``union=5``,
    ``union_id=5``; links written by hand, the benchmark's): read as the filter it means (``occupation__exact``,
    ``union__id__exact``)."""
    renames = {}
    for key in filters:
        if key in known or key in NOT_FILTERS:
            continue
        field = key.removesuffix("_id")
        for candidate in (f"{key}__exact", f"{field}__id__exact", f"{field}__code__exact"):
            if candidate in known and candidate not in filters:
                renames[key] = candidate
                break
    if not renames:
        return filters
    data = QueryDict(mutable=True)
    for key in filters:
        data.setlist(renames.get(key, key), filters.getlist(key))
    return data


class AdminBooleanWidget(django_forms.NullBooleanSelect):
    """Reads a yes/no as the admin's list filters write it: ``1``/``0`` (a boolean field's filter) and
    ``True``/``False`` (an ``__isnull`` choice); Django's select reads neither ``1`` nor ``0``."""

    VALUES = {"1": True, "0": False, "True": True, "False": False, "true": True, "false": False}

    def value_from_datadict(self, data, files, name):
        return self.VALUES.get(data.get(name))


class AdminBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter with the admin's parameter values (``open_24h__exact=1``, ``county__isnull=True``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AdminBooleanWidget)
        super().__init__(*args, **kwargs)


class DateHierarchyFilter(django_filters.NumberFilter):
    """One part (``year``, ``month``, ``day``) of the admin's date hierarchy (``?join_date__year=2020&…``).

    The parts do nothing alone: ``ListFilterSet`` turns those given into one half-open range, as Django's
    changelist does (``join_date >= 2020-03-01 AND join_date < 2020-04-01``), which the date's index serves -
    not ``EXTRACT(month …)``."""

    def __init__(self, *args, part: str, **kwargs):
        self.part = part
        kwargs.setdefault("label", {"year": _("year"), "month": _("month"), "day": _("day")}[part])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs  # applied by ListFilterSet.filter_queryset, all parts together


def date_hierarchy_range(field: models.Field, year: int, month: int | None, day: int | None):
    """The half-open range Django's changelist filters a date hierarchy by (``ChangeList.get_filters``):
    local-time midnights for a DateTimeField, dates for a DateField. None for an impossible date."""
    try:
        start = dt.datetime(int(year), int(month or 1), int(day or 1))
    except (TypeError, ValueError, OverflowError):
        return None
    if day:
        end = start + dt.timedelta(days=1)
    elif month:
        end = (start + dt.timedelta(days=32)).replace(day=1)
    else:
        try:
            end = start.replace(year=start.year + 1)
        except ValueError:
            return None
    if isinstance(field, models.DateTimeField):
        if settings.USE_TZ:
            return timezone.make_aware(start), timezone.make_aware(end)
        return start, end
    return start.date(), end.date()


def validate_area(code: str) -> None:
    if not is_area_code(code):
        raise ValidationError(_("Choose a province, a city or a county."), code="area")


class AreaFilter(django_filters.CharFilter):
    """``area=<code>``: rows in a province, city or county (``unionhub.scoping.area_condition``), the admin's
    area filter (``unionhub.admin.areas``) read the same way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label=_("area"), validators=[validate_area], **kwargs)

    def filter(self, qs, value):
        return qs.filter(area_condition(qs.model, value)) if value else qs


class ListFilterSet(django_filters.FilterSet):
    """The base of every list's FilterSet. ``date_hierarchy`` names the field of the admin's date hierarchy: its
    three parameters (``<field>__year``, ``__month``, ``__day``) become filters, applied together as one range.
    A list of rows that lie in a region also takes the area filter (``area``), as every such admin list does."""

    date_hierarchy: str | None = None

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        if cls._meta.model is not None and has_area(cls._meta.model):
            filters.setdefault(AREA_PARAMETER, AreaFilter())
        if cls.date_hierarchy:
            for part in ("year", "month", "day"):
                filters[f"{cls.date_hierarchy}__{part}"] = DateHierarchyFilter(field_name=cls.date_hierarchy, part=part)
        return filters

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        parts: dict[str, dict[str, int]] = {}
        for name, spec in self.filters.items():
            value = self.form.cleaned_data.get(name)
            if isinstance(spec, DateHierarchyFilter) and value is not None:
                parts.setdefault(spec.field_name, {})[spec.part] = value
        for field_name, given in parts.items():
            if "year" not in given:
                continue  # as Django: a month or a day without its year is no filter
            field = queryset.model._meta.get_field(field_name)
            bounds = date_hierarchy_range(field, given["year"], given.get("month"), given.get("day"))
            if bounds is None:
                raise ValidationError(_("Enter a valid date."))
            queryset = queryset.filter(**{f"{field_name}__gte": bounds[0], f"{field_name}__lt": bounds[1]})
        return queryset
