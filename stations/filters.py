"""Filters over stations: one FilterSet shared by the public finder, its GeoJSON feed and exports.

The FilterSet filters whatever queryset it is given - the public finder passes ``selectors.public_stations()``,
an export passes a queryset already scoped to the user - so it never widens what a caller may see.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import and_

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations import geo
from stations.choices import StationKind
from stations.models import Facility, Station
from stations.selectors.registry import stations_open_at
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
