"""The stations app's FilterSets: the public finder's (``StationFilterSet``, shared with its GeoJSON feed) and
one per listable model of the admin - stations, activities, evaluations, subsidy allocations - read by the list
selectors (``stations.selectors.lists``) and named as the admin changelist's query parameters (``kind__exact``,
``region__code__exact``, ``rectification``, ``stars``…; ``unionhub.lists``).

A FilterSet filters whatever queryset it is given - the public finder passes ``selectors.public_stations()``, a
list selector a queryset already scoped to the user - so it never widens what a caller may see. The admin's own
list filters (``stations.admin.station_filters``, the rating filters) narrow through the functions below, so the
two never disagree on what a choice means.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import and_

import django_filters
from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations import geo
from stations.choices import StationKind, StationStatus
from stations.models import Activity, Evaluation, Facility, Rectification, Station, SubsidyAllocation
from stations.models.ratings import EvaluationStatus, stars_label
from stations.models.subsidies import AllocationStatus, SubsidyType
from stations.selectors import ratings as rating_selectors
from stations.selectors.registry import stations_inactive, stations_open_at, stations_with_overdue_rectification
from unionhub.lists import AdminBooleanFilter, ListFilterSet
from unionhub.models.regions import Region

SEARCH_TERMS_MAX = 5


class CheckboxFilter(django_filters.Filter):
    """A yes-only switch: checked (``=1``, ``=on``, ``=true``) applies the filter, anything else leaves the
    queryset alone. A plain BooleanFilter would read an unticked box as "only those *without*". (With a
    ``method``, django-filter calls the method instead, which must then ignore False itself.)"""

    field_class = forms.BooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return super().filter(qs, value)


class StationFilterSet(django_filters.FilterSet):
    """Kind, facilities (all of the ticked ones), open now, open 24 hours, town or county, and free text.

    ``now`` (an aware datetime, default the current time) is the moment "open now" is judged at; tests and
    callers that need a fixed moment pass it in."""

    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, street or town")}),
    )
    kind = django_filters.ChoiceFilter(choices=StationKind.choices, label=_("kind"), empty_label=_("All kinds"))
    facility = django_filters.ModelMultipleChoiceFilter(
        field_name="facilities__code",
        to_field_name="code",
        queryset=Facility.objects.all(),
        conjoined=True,  # a worker who ticks "microwave" and "e-bike charging" needs both
        label=_("facilities"),
        widget=forms.CheckboxSelectMultiple,
    )
    open_24h = CheckboxFilter(field_name="open_24h", label=_("open 24 hours"))
    region = django_filters.CharFilter(
        method="filter_region",
        label=_("Town"),
        validators=[RegexValidator(r"^\d{2,9}$", _("Enter a division code of 2 to 9 digits."))],
        widget=forms.Select,
    )
    # Last on purpose: filters apply in this order, and this one is judged in Python over what is left.
    open_now = CheckboxFilter(method="filter_open_now", label=_("Open now"))

    class Meta:
        model = Station
        fields = ["q", "kind", "facility", "open_24h", "region", "open_now"]

    def __init__(self, data=None, queryset=None, *, now: dt.datetime | None = None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.now = now or timezone.now()

    @property
    def form(self):
        if not hasattr(self, "_form"):
            # The town list depends on the queryset given, so it is filled in per instance.
            super().form.fields["region"].widget.choices = [("", _("All towns")), *self.region_choices()]
        return self._form

    def region_choices(self) -> list:
        """The towns of the stations in the base queryset, under their county when there are several counties.

        A county's own code is offered too: the filter matches by code prefix, so a county selects all its
        towns."""
        towns = Region.objects.filter(pk__in=self.queryset.values("region_id")).select_related("parent")
        counties: dict[str, tuple[Region | None, list]] = {}
        for town in towns.order_by("code"):
            counties.setdefault(town.parent_id, (town.parent, []))[1].append((town.code, town.name))
        if len(counties) <= 1:
            return next(iter(counties.values()))[1] if counties else []
        choices = []
        for code, (county, towns_of_county) in counties.items():
            name = county.name if county else code
            everything = (code, _("All of %(county)s") % {"county": name})
            choices.append((name, [everything, *towns_of_county]))
        return choices

    def facility_options(self) -> QuerySet:
        """The facilities worth offering as tick boxes: those some station of the base queryset has."""
        return Facility.objects.filter(pk__in=self.queryset.values("facilities")).order_by("sort_order", "code")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        terms = value.split()[:SEARCH_TERMS_MAX]
        if not terms:
            return queryset
        conditions = [
            Q(name__icontains=term)
            | Q(address__icontains=term)
            | Q(code__icontains=term)
            | Q(region__name__icontains=term)
            | Q(region__parent__name__icontains=term)
            for term in terms
        ]
        return queryset.filter(reduce(and_, conditions))

    def filter_open_now(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # A method filter is called for False too (the unticked box): only a ticked one narrows.
        return stations_open_at(queryset, self.now) if value else queryset

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(region__code__startswith=value)


class OriginForm(forms.Form):
    """Where "nearest first" measures from: ``?lat=&lng=``, WGS-84 as a phone's geolocation gives it.

    A point tapped on a map drawn in GCJ-02 or BD-09 tiles comes with ``crs=gcj02`` (or ``bd09``) and is
    converted back, so that one conversion routine (``stations.geo``) serves both the server and the map."""

    lat = forms.FloatField(min_value=-90, max_value=90)
    lng = forms.FloatField(min_value=-180, max_value=180)
    crs = forms.ChoiceField(choices=[(crs, crs) for crs in geo.CRS_CHOICES], required=False)

    @classmethod
    def point(cls, data) -> tuple[float, float] | None:
        """The WGS-84 (lat, lng) given in ``data``, or None when it is missing or malformed."""
        if not data.get("lat") or not data.get("lng"):
            return None
        form = cls(data)
        if not form.is_valid():
            return None
        lat, lng = form.cleaned_data["lat"], form.cleaned_data["lng"]
        return geo.to_wgs84(lat, lng, form.cleaned_data["crs"] or geo.WGS84)


# --- the admin's lists: what a choice means (the admin's list filters call these too) -----------------------

RECTIFICATION_CHOICES = [("overdue", _("overdue")), ("open", _("open"))]
RATING_FLAG_CHOICES = [
    ("expiring", _("star level expiring soon")),
    ("due", _("due for re-evaluation")),
    ("low_satisfaction", _("low satisfaction")),
]
STAR_VALUES = {"0", "1", "2", "3", "4", "5"}


def star_choices() -> list:
    """Five stars first, then "no star level" (0)."""
    return [(str(n), stars_label(n)) for n in range(5, 0, -1)] + [("0", _("no star level"))]


def inactive_choices() -> list:
    return [("yes", _("operating, no activity for %(months)s months") % {"months": settings.STATION_INACTIVE_MONTHS})]


def stations_by_rectification(stations: QuerySet, value: str | None) -> QuerySet:
    """``overdue``: an open notice past its deadline; ``open``: any open notice; else all."""
    if value == "overdue":
        return stations_with_overdue_rectification(stations)
    if value == "open":
        return stations.filter(Exists(Rectification.objects.filter(station=OuterRef("pk"), closed_on__isnull=True)))
    return stations


def stations_by_activity(stations: QuerySet, value: str | None, today: dt.date | None = None) -> QuerySet:
    """``yes``: operating stations with no activity logged for ``STATION_INACTIVE_MONTHS`` months - the one
    definition of "inactive" (the workbench, the dashboard and the list filter all read it through here). A
    planned, building or delisted station is not expected to hold activities."""
    if value != "yes":
        return stations
    return stations_inactive(stations.filter(status=StationStatus.OPERATING), today=today)


PROGRESS_CHOICES = [("open", _("in progress (draft or returned)"))]


def evaluations_by_progress(evaluations: QuerySet, value: str | None) -> QuerySet:
    """``open``: evaluations an inspector is still working on (a draft, or returned by the county)."""
    if value != "open":
        return evaluations
    return evaluations.filter(status__in=(EvaluationStatus.DRAFT, EvaluationStatus.RETURNED))


def stations_by_star_level(stations: QuerySet, value: str | None) -> QuerySet:
    """The star level in force today (``0``: none)."""
    return rating_selectors.stations_with_stars(stations, int(value)) if value in STAR_VALUES else stations


def rows_by_stars(queryset: QuerySet, value: str | None) -> QuerySet:
    """An evaluation's, star level's or allocation's own ``stars`` field."""
    return queryset.filter(stars=int(value)) if value in STAR_VALUES else queryset


def stations_by_rating_flag(stations: QuerySet, value: str | None) -> QuerySet:
    flag = {
        "expiring": rating_selectors.stations_star_expiring,
        "due": rating_selectors.stations_due_for_reevaluation,
        "low_satisfaction": rating_selectors.stations_low_satisfaction,
    }.get(value or "")
    return flag(stations) if flag else stations


def _method(function):
    """A FilterSet method filter narrowing through one of the functions above."""
    return lambda self, queryset, name, value: function(queryset, value)


class StationListFilterSet(ListFilterSet):
    """The station list's filters (the admin's): kind, status, town, facility, open 24 hours, meets the
    standard, rectification, inactivity, star level in force, star-rating flags."""

    kind__exact = django_filters.ChoiceFilter(field_name="kind", choices=StationKind.choices, label=_("kind"))
    status__exact = django_filters.ChoiceFilter(field_name="status", choices=StationStatus.choices, label=_("status"))
    region__code__exact = django_filters.CharFilter(field_name="region", label=_("town or subdistrict"))
    facilities__id__exact = django_filters.NumberFilter(field_name="facilities", label=_("facilities"))
    facilities__isnull = AdminBooleanFilter(field_name="facilities", lookup_expr="isnull", label=_("facilities"))
    open_24h__exact = AdminBooleanFilter(field_name="open_24h", label=_("open 24 hours"))
    is_complete__exact = AdminBooleanFilter(field_name="is_complete", label=_("meets the standard"))
    rectification = django_filters.ChoiceFilter(
        choices=RECTIFICATION_CHOICES, method="filter_rectification", label=_("rectification")
    )
    inactive = django_filters.ChoiceFilter(choices=inactive_choices, method="filter_inactive", label=_("activity"))
    stars = django_filters.ChoiceFilter(choices=star_choices, method="filter_stars", label=_("star level"))
    rating_flag = django_filters.ChoiceFilter(
        choices=RATING_FLAG_CHOICES, method="filter_rating_flag", label=_("star rating")
    )

    class Meta:
        model = Station
        fields: list[str] = []

    filter_rectification = _method(stations_by_rectification)
    filter_inactive = _method(stations_by_activity)
    filter_stars = _method(stations_by_star_level)
    filter_rating_flag = _method(stations_by_rating_flag)


class ActivityFilterSet(ListFilterSet):
    """The activity log's filters: kind, station, and the date hierarchy."""

    date_hierarchy = "date"

    kind__id__exact = django_filters.NumberFilter(field_name="kind", label=_("kind"))
    station__id__exact = django_filters.NumberFilter(field_name="station", label=_("station"))

    class Meta:
        model = Activity
        fields: list[str] = []


class EvaluationFilterSet(ListFilterSet):
    """Evaluations: status, stars given, the station's kind, and the date inspected."""

    date_hierarchy = "date"

    status__exact = django_filters.ChoiceFilter(
        field_name="status", choices=EvaluationStatus.choices, label=_("status")
    )
    progress = django_filters.ChoiceFilter(choices=PROGRESS_CHOICES, method="filter_progress", label=_("progress"))
    stars = django_filters.ChoiceFilter(choices=star_choices, method="filter_stars", label=_("stars"))
    station__kind__exact = django_filters.ChoiceFilter(
        field_name="station__kind", choices=StationKind.choices, label=_("kind")
    )

    class Meta:
        model = Evaluation
        fields: list[str] = []

    filter_progress = _method(evaluations_by_progress)
    filter_stars = _method(rows_by_stars)


class AllocationFilterSet(ListFilterSet):
    """Subsidy allocations: subsidy type, status, stars, run."""

    subsidy_type__exact = django_filters.ChoiceFilter(
        field_name="subsidy_type", choices=SubsidyType.choices, label=_("subsidy")
    )
    status__exact = django_filters.ChoiceFilter(
        field_name="status", choices=AllocationStatus.choices, label=_("status")
    )
    stars = django_filters.ChoiceFilter(choices=star_choices, method="filter_stars", label=_("stars"))
    run__id__exact = django_filters.NumberFilter(field_name="run", label=_("run"))

    class Meta:
        model = SubsidyAllocation
        fields: list[str] = []

    filter_stars = _method(rows_by_stars)
