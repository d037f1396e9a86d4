"""The public station finder: phone-sized pages anyone may open without logging in.

Every page starts from ``selectors.public_stations()`` (operating stations only) and shows only what a station
puts on its door - name, address, hours, facilities, services, the station's own phone. Never managers, people's
phone numbers, funding, ratings or rectification notices.

The list is server-rendered HTML, filtered with ``StationFilterSet`` and sorted nearest-first from ``?lat=&lng=``;
the map (Leaflet, vendored) is drawn over it by ``static/public/finder.js`` and is optional: with no tiles
reachable the markers still show, and without JavaScript the list is all there is, which is enough.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stations import geo
from stations.filtersets import OriginForm, StationFilterSet
from stations.models import Station
from stations.selectors.registry import (
    finder_stations,
    nearest_slice,
    public_stations,
    station_hours_summary,
    station_is_open,
    station_week,
)
from stations.services.star_levels import star_in_force
from unionhub.qr import printable_address_problem, qr_svg

AMAP_MARKER_URL = "https://uri.amap.com/marker"
GEOJSON_CACHE_SECONDS = 300
GEOJSON_MAX_FEATURES = 2000  # a map view holds far fewer; ask with ?bbox= for what the map shows
FINDER_PAGE_SIZE = 30
FINDER_MAX_PAGE = 100
POSTER_HOURS_LINES = 4


# --- helpers: presentation only ---------------------------------------------------------------------------------


def distance_text(metres: float | None) -> str:
    """ "350 m", "1.2 km", "23 km": rounded as a person would say it."""
    if metres is None:
        return ""
    if metres < 1000:
        return _("%(metres)d m") % {"metres": max(10, round(metres / 10) * 10)}
    if metres < 10_000:
        return _("%(km)s km") % {"km": f"{metres / 1000:.1f}"}
    return _("%(km)s km") % {"km": f"{metres / 1000:.0f}"}


def public_url(station: Station) -> str:
    """The station page's address as printed on posters: ``PUBLIC_BASE_URL`` + the page's path."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("stations:detail", args=[station.code])


def navigate_url(station: Station) -> str:
    """Amap's marker page (it opens the Amap app where installed) at the station, in GCJ-02 as Amap expects."""
    lat, lng = geo.wgs84_to_gcj02(*station.coordinates)
    query = {
        "position": f"{lng:.6f},{lat:.6f}",
        "name": station.name,
        "src": "unionhub",
        "coordinate": "gaode",
        "callnative": "1",
    }
    return f"{AMAP_MARKER_URL}?{urlencode(query, safe=',')}"


def _map_point(station: Station, number: int | None = None) -> dict | None:
    if station.coordinates is None:
        return None
    lat, lng = geo.from_wgs84(*station.coordinates, settings.MAP_TILE_CRS)
    return {
        "n": number,
        "code": station.code,
        "name": station.name,
        "lat": round(lat, 6),
        "lng": round(lng, 6),
        "open": bool(getattr(station, "is_open_now", False)),
        "url": reverse("stations:detail", args=[station.code]),
    }


def _map_data(stations: list[Station], origin: tuple[float, float] | None) -> dict:
    """Everything the map script needs, with coordinates already in the tiles' CRS (``MAP_TILE_CRS``). Pins are
    numbered as the list is, unless there is only one."""
    numbered = len(stations) > 1
    points = [_map_point(station, n if numbered else None) for n, station in enumerate(stations, start=1)]
    here = geo.from_wgs84(*origin, settings.MAP_TILE_CRS) if origin else None
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "tileCrs": settings.MAP_TILE_CRS,
        "points": [point for point in points if point],
        "origin": [round(here[0], 6), round(here[1], 6)] if here else None,
        "text": {
            "tilesFailed": _("The map background cannot be loaded right now; the stations are still marked."),
            "pickHere": _("Find stations near here"),
            "youAreHere": _("You are here"),
            "open": _("Open now"),
            "closed": _("Closed now"),
            "details": _("Hours and details"),
            "locating": _("Finding your location…"),
            "locateFailed": _(
                "Your location could not be found. Allow location access for this page, or tap your location on "
                "the map."
            ),
            "noGeolocation": _("This browser cannot share its location. Tap your location on the map instead."),
        },
    }


def _page_number(request: HttpRequest) -> int:
    try:
        return min(FINDER_MAX_PAGE, max(1, int(request.GET.get("page") or 1)))
    except ValueError:
        return 1


def _with_page(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return query.urlencode()


def parse_bbox(value: str | None, crs: str) -> tuple[float, float, float, float] | None:
    """``?bbox=min_lng,min_lat,max_lng,max_lat`` in the map's CRS, as WGS-84 (min_lat, min_lng, max_lat,
    max_lng); None when absent or malformed."""
    try:
        min_lng, min_lat, max_lng, max_lat = (float(part) for part in (value or "").split(","))
    except ValueError:
        return None
    (lat1, lng1), (lat2, lng2) = geo.to_wgs84(min_lat, min_lng, crs), geo.to_wgs84(max_lat, max_lng, crs)
    return min(lat1, lat2), min(lng1, lng2), max(lat1, lat2), max(lng1, lng2)


# --- pages ----------------------------------------------------------------------------------------------------


@require_safe
def station_list(request: HttpRequest) -> HttpResponse:
    """附近的工会驿站: operating stations, filtered, nearest first when the phone shares its location."""
    now = timezone.now()
    origin = OriginForm.point(request.GET)
    filterset = StationFilterSet(request.GET, queryset=public_stations(), now=now)
    page = _page_number(request)
    # One page of stations (a province has thousands): fetch one more to know whether there is a next page.
    start, stop = (page - 1) * FINDER_PAGE_SIZE, page * FINDER_PAGE_SIZE + 1
    rows = nearest_slice(filterset.qs, origin, start, stop) if origin else list(filterset.qs[start:stop])
    has_next = len(rows) > FINDER_PAGE_SIZE
    stations = finder_stations(rows[:FINDER_PAGE_SIZE], moment=now, origin=origin)
    for station in stations:
        station.distance_text = distance_text(station.distance_m)
        station.navigate_url = navigate_url(station) if station.coordinates else None
    # From here on the origin travels in WGS-84, even when it came as a point tapped on GCJ-02 tiles.
    location = {"lat": f"{origin[0]:.6f}", "lng": f"{origin[1]:.6f}"} if origin else None
    without_location = request.GET.copy()
    for key in ("lat", "lng", "crs"):
        without_location.pop(key, None)
    chosen_facilities = {code for code in request.GET.getlist("facility") if code}
    # How many filters the folded "more filters" panel holds, shown on it (and it opens when there are any).
    more_filters_used = len(chosen_facilities) + sum(1 for name in ("q", "kind", "region") if request.GET.get(name))
    context = {
        "form": filterset.form,
        "stations": stations,
        "origin": origin,
        "location": location,
        "detail_query": urlencode(location) if location else "",
        "facility_options": filterset.facility_options(),
        "chosen_facilities": chosen_facilities,
        "more_filters_used": more_filters_used,
        "query_without_location": without_location.urlencode(),
        "open_count": sum(1 for station in stations if station.is_open_now),
        "page": page,
        # A page of a longer list is titled by its place in it, not as everything found.
        "first_number": start + 1,
        "last_number": start + len(stations),
        "next_query": _with_page(request, page + 1) if has_next else "",
        "previous_query": _with_page(request, page - 1) if page > 1 else "",
        "map_data": _map_data(stations, origin),
    }
    return render(request, "public/station_list.html", context)


@require_safe
def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One station: hours per weekday, open-now badge, facilities, services, address, phone, navigation."""
    station = get_object_or_404(public_stations(), code=code)
    now = timezone.now()
    station.is_open_now = station_is_open(station, now)
    origin = OriginForm.point(request.GET)
    distance = None
    if origin and station.coordinates:
        distance = distance_text(geo.distance_m(*origin, *station.coordinates))
    context = {
        "station": station,
        "week": station_week(station, moment=now),
        "distance": distance,
        "back_query": urlencode({"lat": f"{origin[0]:.6f}", "lng": f"{origin[1]:.6f}"}) if origin else "",
        "navigate_url": navigate_url(station) if station.coordinates else None,
        "map_data": _map_data([station], origin) if station.coordinates else None,
        "star": star_in_force(station),
    }
    return render(request, "public/station_detail.html", context)


@require_safe
def station_poster(request: HttpRequest, code: str) -> HttpResponse:
    """A printable A4 poster for the station's door: name, address, hours and a QR code to its page."""
    station = get_object_or_404(public_stations(), code=code)
    url = public_url(station)
    hours = station_hours_summary(station)
    context = {
        "station": station,
        "hours": hours,
        # More than four lines of hours push the QR code off an A4 page: the template then sets it beside them.
        "dense": not station.open_24h and sum(max(1, len(run["periods"])) for run in hours) > POSTER_HOURS_LINES,
        "url": url,
        "address_problem": printable_address_problem(url),
    }
    context["qr_svg"] = None if context["address_problem"] else qr_svg(url, dark="#111")
    return render(request, "public/station_poster.html", context)


@require_safe
def stations_geojson(request: HttpRequest) -> HttpResponse:
    """The operating stations as a GeoJSON FeatureCollection, in ``?crs=wgs84`` (default), ``gcj02`` or ``bd09``
    for Chinese map libraries. Takes the finder's filters (``?region=140521``, ``?kind=rest``, …) and the map's
    view, ``?bbox=min_lng,min_lat,max_lng,max_lat`` (in ``crs``). At most ``GEOJSON_MAX_FEATURES`` features
    (``"truncated": true`` when there were more: zoom in). Stations with no coordinates are left out. The body
    is cached for ``GEOJSON_CACHE_SECONDS`` per query string, here and in browsers."""
    crs = request.GET.get("crs") or geo.WGS84
    json_options = {"ensure_ascii": False}
    if crs not in geo.CRS_CHOICES:
        message = _("Unknown coordinate system “%(crs)s”. Use wgs84, gcj02 or bd09.") % {"crs": crs[:20]}
        return JsonResponse({"error": message}, status=400, json_dumps_params=json_options)
    key = "geojson:" + hashlib.sha256(urlencode(sorted(request.GET.lists()), doseq=True).encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        filterset = StationFilterSet(request.GET, queryset=public_stations())
        if not filterset.is_valid():
            errors = {name: [str(e) for e in messages] for name, messages in filterset.errors.items()}
            return JsonResponse(
                {"error": _("Some filters are not valid."), "fields": errors},
                status=400,
                json_dumps_params=json_options,
            )
        body = json.dumps(_feature_collection(filterset.qs, crs, parse_bbox(request.GET.get("bbox"), crs)),
                          ensure_ascii=False, cls=DjangoJSONEncoder)  # fmt: skip
        cache.set(key, body, GEOJSON_CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/geo+json")
    patch_cache_control(response, public=True, max_age=GEOJSON_CACHE_SECONDS)
    return response


def _feature_collection(stations, crs: str, bbox) -> dict:
    """One query of plain values (no model instances, no per-station ``reverse``)."""
    stations = stations.prefetch_related(None).filter(latitude__isnull=False, longitude__isnull=False)
    if bbox is not None:
        stations = stations.filter(latitude__range=(bbox[0], bbox[2]), longitude__range=(bbox[1], bbox[3]))
    rows = list(
        stations.values("code", "name", "kind", "region__name", "address", "open_24h", "latitude", "longitude")[
            : GEOJSON_MAX_FEATURES + 1
        ]
    )
    kinds = dict(Station._meta.get_field("kind").choices)
    detail = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("stations:detail", args=["CODE"]).replace("CODE", "{}")
    features = []
    for row in rows[:GEOJSON_MAX_FEATURES]:
        lat, lng = geo.from_wgs84(float(row["latitude"]), float(row["longitude"]), crs)
        features.append(
            {
                "type": "Feature",
                "id": row["code"],
                "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
                "properties": {
                    "code": row["code"],
                    "name": row["name"],
                    "kind": row["kind"],
                    "kind_label": str(kinds.get(row["kind"], row["kind"])),
                    "town": row["region__name"],
                    "address": row["address"],
                    "open_24h": row["open_24h"],
                    "url": detail.format(quote(row["code"])),
                },
            }
        )
    collection = {"type": "FeatureCollection", "coordinate_system": crs, "features": features}
    if len(rows) > GEOJSON_MAX_FEATURES:
        collection["truncated"] = True
    return collection
