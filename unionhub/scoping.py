"""Region scoping: the one mechanism that decides which rows a user may see and touch.

A model takes part by declaring, with :func:`scoped`, two paths:

* ``region`` - the lookup path from the model to a GB/T 2260 region code (``"region__code"``,
  ``"station__region__code"``). A user whose scope is a region sees rows whose code starts with that region's
  code: codes nest (14 Shanxi > 1405 Jincheng > 140521 Qinshui > 140521104 Jiafeng), so a subtree is a prefix.
* ``station`` - the lookup path from the model to a station (``""`` for a station itself, ``"station"`` for
  its logs). A user who manages a station sees the rows that belong to it.
* ``users`` - lookup paths from the model to a user (``"handler"``, ``"holder__handlers__user"``). A user
  reached by one of them sees the row: a worker's request assigned to a union chair who has no region.
* ``county`` - for tables of millions of rows (the member register), a column of the row itself holding the
  first six digits of the region path's code, which the database keeps equal to them (the member's
  two-column foreign key to its union's county, membership migration 0013). The region rule is then asked of
  that column: equality for a county (``county = '140521'``), which an index beginning with the county serves
  in any order the list is sorted, instead of a join whose rows the planner cannot tell apart by county. A
  reach below a county (a town) asks both: the county column and the region path. A model whose region path
  is itself a county code on the row (an application's ``county``) names it too: equality instead of
  ``LIKE '140521%'``, which an index on the column serves (``county="county__code"``).
* ``city`` - with ``county``: the table has indexes on the county column's first four digits (the member
  register: its default order and the card-number sort). A city is then asked as ``LEFT(county, 4) = '1405'``,
  which those indexes serve in order, instead of a range of counties, whose rows no single order holds
  together (a city's card numbers lie between other cities' in the register's card-number index).
* Any other prefix is asked as the range of codes it starts (``starting_with``), which a plain index serves.

Everything else - the admin base class, list filters, foreign-key and autocomplete choices, imports,
exports, public pages - calls :func:`scope_queryset` and :func:`in_scope`; nothing re-implements the rule.
A model that never declared a scope is invisible to everyone but superusers: forgetting fails closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import CharField, Exists, F, Model, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Left
from django.db.models.lookups import Exact


@dataclass(frozen=True)
class ScopePath:
    region: str | None = None
    station: str | None = None
    shared: bool = False  # rows with no region (national catalogue entries) are visible to everyone
    users: tuple[str, ...] = ()  # paths to users who reach the row whatever their region (assigned handlers)
    county: str | None = None  # a column equal to the region code's first six digits (see the module)
    city: bool = False  # the county column's first four digits are indexed: a city is asked by them (the module)


@dataclass(frozen=True)
class Reach:
    """What one user can reach: everything, a region subtree, and/or the stations they manage."""

    everything: bool = False
    region_code: str | None = None
    user_id: int | None = None
    # Whether the user manages any station. When not, the station rule (an OR with a subquery) is left out:
    # it could match nothing, and an OR keeps the planner from reading a list in index order.
    manages_stations: bool = True

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.region_code and self.user_id is None


_REGISTRY: dict[type[Model], ScopePath] = {}


def scoped(
    *,
    region: str | None = None,
    station: str | None = None,
    shared: bool = False,
    users: tuple[str, ...] = (),
    county: str | None = None,
    city: bool = False,
):
    """Class decorator registering how a model is scoped.

    ``shared=True``: rows whose region is empty are visible to every user (but, as ``in_scope`` is False for
    them, only superusers may change them) - for catalogues that counties extend with their own entries."""

    def register(model: type[Model]) -> type[Model]:
        _REGISTRY[model] = ScopePath(
            region=region, station=station, shared=shared, users=tuple(users), county=county, city=city
        )
        return model

    return register


def register(model: type[Model], *, region: str | None = None, station: str | None = None) -> None:
    """Register a model we do not own (the auth User)."""
    _REGISTRY[model] = ScopePath(region=region, station=station)


def scope_path(model: type[Model]) -> ScopePath | None:
    for klass in model.__mro__:
        if klass in _REGISTRY:
            return _REGISTRY[klass]
    return None


def is_scoped_model(model: type[Model]) -> bool:
    return scope_path(model) is not None


def reach_of(user) -> Reach:
    """The user's reach, cached on the user object for the length of a request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Reach()
    cached = getattr(user, "_unionhub_reach", None)
    if cached is not None:
        return cached
    reach = Reach(everything=True) if user.is_superuser else _reach_of_staff(user)
    user._unionhub_reach = reach
    return reach


def _station_model() -> type[Model] | None:
    """The model scoped as a station itself (``station=""``): the one whose managers the station rule reads."""
    return next((model for model, path in _REGISTRY.items() if path.station == ""), None)


def _reach_of_staff(user) -> Reach:
    """The user's region and whether they manage a station, in one query. The region is read by the path
    the user model was registered with (``register(User, region="scope__region__code")`` in the core's
    ``AppConfig.ready``: a one-to-one ``UserScope``), so this module imports no model."""
    user_model = user._meta.model
    path = scope_path(user_model)
    region = F(path.region) if path is not None and path.region else Value(None, output_field=CharField())
    station_model = _station_model()
    if station_model is None:
        manages = Value(True)
    else:
        through = station_model._meta.get_field("managers").remote_field.through
        manages = Exists(through.objects.filter(user_id=OuterRef("pk")))
    row = user_model._default_manager.filter(pk=user.pk).values_list(region, manages).first()
    region_code, manages_stations = row if row is not None else (None, False)
    return Reach(region_code=region_code, user_id=user.pk, manages_stations=bool(manages_stations))


def _station_condition(model: type[Model], path: str, user_id: int) -> Q:
    """Rows whose station lists the user as a manager, as a subquery: no join, so no repeated rows and
    aggregates over a scoped queryset count each row once."""
    station_model = model
    for part in filter(None, path.split("__")):
        station_model = station_model._meta.get_field(part).related_model
    managed = station_model._meta.get_field("managers").remote_field.through.objects.filter(user_id=user_id)
    column = f"{station_model._meta.model_name}_id"
    return Q(**{f"{path}__in" if path else "pk__in": managed.values(column)})


COUNTY_DIGITS = 6
CITY_DIGITS = 4


def starting_with(field: str, code: str) -> Q:
    """``field`` starts with the region code ``code``, asked as the range of codes it prefixes: 140521 <=
    code < 140522. Codes are digits, so the range holds exactly the codes starting with it, and a range is
    read from the column's plain index under any collation - ``LIKE '140521%'`` only under the C collation,
    which a database made with a UTF-8 locale does not have (PostgreSQL then reads every row)."""
    if not code.isdigit():
        return Q(**{f"{field}__startswith": code})
    following = str(int(code) + 1).zfill(len(code))
    if len(following) > len(code):  # 99…: every code from it on starts with it
        return Q(**{f"{field}__gte": code})
    return Q(**{f"{field}__gte": code, f"{field}__lt": following})


def _region_condition(path: ScopePath, code: str) -> Q:
    """Rows whose region code starts with ``code`` (see ``county`` in the module)."""
    if path.county is None:
        return starting_with(path.region, code)
    if len(code) == CITY_DIGITS and path.city:  # a city: the indexed first four digits of the county column
        return Q(Exact(Left(path.county, CITY_DIGITS), code))
    if len(code) < COUNTY_DIGITS:  # a city or a province: its counties
        return starting_with(path.county, code)
    county = Q(**{path.county: code[:COUNTY_DIGITS]})
    if len(code) == COUNTY_DIGITS:
        return county
    return county & starting_with(path.region, code)


AREA_PARAMETER = "area"  # the list filter's query parameter, in the admin and in the list selectors
AREA_DIGITS = (2, CITY_DIGITS, COUNTY_DIGITS)  # the areas a list is narrowed to: a province, a city, a county


def has_area(model: type[Model]) -> bool:
    """Whether ``model``'s rows lie in a region, so that a list of them can be narrowed to an area."""
    path = scope_path(model)
    return path is not None and path.region is not None


def is_area_code(code: str) -> bool:
    return code.isdigit() and len(code) in AREA_DIGITS


def area_condition(model: type[Model], code: str) -> Q:
    """``model``'s rows in the area ``code`` (a province, a city or a county): the very condition scoping gives
    that area's own staff, so a province's list narrowed to a city reads as fast as the city's staff's list. It
    narrows; it never widens - callers apply it to a scoped queryset."""
    if not is_area_code(code):
        raise ValueError(f"not a province, city or county code: {code!r}")
    return _region_condition(scope_path(model), code)


def _conditions(model: type[Model], user) -> list[Q] | None:
    """The OR-ed conditions for ``model`` rows in the user's reach; None means no restriction."""
    reach = reach_of(user)
    if reach.everything:
        return None
    path = scope_path(model)
    conditions = []
    if path is not None:
        if path.region is not None and reach.region_code:
            conditions.append(_region_condition(path, reach.region_code))
        if path.station is not None and reach.user_id is not None and reach.manages_stations:
            conditions.append(_station_condition(model, path.station, reach.user_id))
        if path.shared and path.region is not None:
            conditions.append(Q(**{f"{path.region}__isnull": True}))
        if path.users and reach.user_id is not None:
            # A subquery, like the stations': a join through a to-many path would repeat rows.
            reached = reduce(or_, [Q(**{user_path: reach.user_id}) for user_path in path.users])
            conditions.append(Q(pk__in=model._default_manager.filter(reached).values("pk")))
    return conditions


def scope_queryset(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` narrowed to the rows the user may see."""
    conditions = _conditions(queryset.model, user)
    if conditions is None:
        return queryset
    if not conditions:
        return queryset.none()
    return queryset.filter(reduce(or_, conditions))


def _walk(obj, path: str):
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def region_code_of(obj: Model) -> str | None:
    """The region code an object's declared region path leads to (None if it has none)."""
    path = scope_path(type(obj))
    if path is None or path.region is None:
        return None
    code = _walk(obj, path.region)
    return str(code) if code else None


def in_scope(obj: Model, user) -> bool:
    """Whether an object - possibly unsaved, possibly just edited - lies inside the user's reach.

    Used before writing, so that a save that would move a row out of scope is refused."""
    reach = reach_of(user)
    if reach.everything:
        return True
    path = scope_path(type(obj))
    if path is None:
        return False
    if path.region is not None and reach.region_code:
        code = _walk(obj, path.region)
        if code and str(code).startswith(reach.region_code):
            return True
    if path.station is not None and reach.user_id is not None:
        station = _walk(obj, path.station) if path.station else obj
        if station is not None and station.pk is not None and station.managers.filter(pk=reach.user_id).exists():
            return True
    if path.users and reach.user_id is not None and obj.pk is not None:
        reached = reduce(or_, [Q(**{user_path: reach.user_id}) for user_path in path.users])
        if type(obj)._default_manager.filter(reached, pk=obj.pk).exists():
            return True
    return False
