"""Coordinates: WGS-84, GCJ-02 and BD-09, and distances.

Stations are stored in WGS-84, what a phone's GPS reports. Maps published in China are not: Amap (高德), Tencent
and most tile servers draw in GCJ-02 ("Mars coordinates", the national obfuscation, an offset of a few hundred
metres), and Baidu draws in BD-09, a further shift of GCJ-02. A marker must be converted into the coordinate
system of the tiles it is drawn on, and a point tapped on such a map converted back before it is compared with
stored coordinates.

The formulas are the standard published ones (as in the widely used ``coordtransform`` libraries): the GCJ-02
offset is a closed-form function of the WGS-84 point, applied only inside China's bounding box; BD-09 is a small
rotation and shift of GCJ-02. Neither has a closed-form inverse, so the inverses here iterate the forward
formula until the error is far below a millimetre (the usual one-step "inverses" are off by up to a metre).

Every function takes and returns ``(latitude, longitude)`` in degrees, latitude first, as the models do.
"""

from __future__ import annotations

import math
from collections.abc import Callable

# Krasovsky 1940 ellipsoid, which the GCJ-02 formula is built on.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0

# The conventional bounding box of mainland China for the GCJ-02 offset. It is a rectangle, so it also takes
# in a little of China's neighbours - which is what the published algorithm (and the maps) do as well.
CHINA_LNG = (73.66, 135.05)
CHINA_LAT = (3.86, 53.55)

# Mean Earth radius (IUGG), metres: the best single radius for haversine distances.
EARTH_RADIUS_M = 6371008.8

WGS84, GCJ02, BD09 = "wgs84", "gcj02", "bd09"
CRS_CHOICES = (WGS84, GCJ02, BD09)

# Iterative inverses stop when the forward image is this close to the target, in degrees (about 0.01 mm).
_TOLERANCE = 1e-10
_MAX_ITERATIONS = 30

LatLng = tuple[float, float]


def out_of_china(lat: float, lng: float) -> bool:
    """Whether a point lies outside the box in which GCJ-02 differs from WGS-84."""
    return not (CHINA_LNG[0] < lng < CHINA_LNG[1] and CHINA_LAT[0] < lat < CHINA_LAT[1])


def _offset_lat(x: float, y: float) -> float:
    result = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    result += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    result += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    result += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return result


def _offset_lng(x: float, y: float) -> float:
    result = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    result += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    result += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    result += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return result


def _gcj02_offset(lat: float, lng: float) -> LatLng:
    """The GCJ-02 shift (dlat, dlng) in degrees at a WGS-84 point inside China."""
    dlat = _offset_lat(lng - 105.0, lat - 35.0)
    dlng = _offset_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * math.cos(radlat) * math.pi)
    return dlat, dlng


def wgs84_to_gcj02(lat: float, lng: float) -> LatLng:
    """WGS-84 to GCJ-02. Points outside China are returned unchanged."""
    if out_of_china(lat, lng):
        return lat, lng
    dlat, dlng = _gcj02_offset(lat, lng)
    return lat + dlat, lng + dlng


def _invert(forward: Callable[[float, float], LatLng], lat: float, lng: float, start: LatLng) -> LatLng:
    """The point p with forward(p) == (lat, lng), by fixed-point iteration from ``start``.

    Both forward transforms are the identity plus a slowly varying shift, so subtracting the residual converges
    quickly: two or three rounds reach 1e-10 degrees."""
    guess_lat, guess_lng = start
    for _ in range(_MAX_ITERATIONS):
        image_lat, image_lng = forward(guess_lat, guess_lng)
        error_lat, error_lng = image_lat - lat, image_lng - lng
        if abs(error_lat) < _TOLERANCE and abs(error_lng) < _TOLERANCE:
            break
        guess_lat, guess_lng = guess_lat - error_lat, guess_lng - error_lng
    return guess_lat, guess_lng


def gcj02_to_wgs84(lat: float, lng: float) -> LatLng:
    """GCJ-02 to WGS-84, exact to far better than 1e-7 degrees. Points outside China are returned unchanged."""
    if out_of_china(lat, lng):
        return lat, lng
    return _invert(wgs84_to_gcj02, lat, lng, start=(lat, lng))


def gcj02_to_bd09(lat: float, lng: float) -> LatLng:
    """GCJ-02 to BD-09 (Baidu). Baidu applies it everywhere, so there is no out-of-China case."""
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def _bd09_to_gcj02_approximate(lat: float, lng: float) -> LatLng:
    # The published one-step inverse, off by up to about 2e-6 degrees; used as the starting point.
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def bd09_to_gcj02(lat: float, lng: float) -> LatLng:
    """BD-09 to GCJ-02: the published formula, refined by iteration so that a round trip is exact."""
    return _invert(gcj02_to_bd09, lat, lng, start=_bd09_to_gcj02_approximate(lat, lng))


def wgs84_to_bd09(lat: float, lng: float) -> LatLng:
    """WGS-84 to BD-09, through GCJ-02."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lng))


def bd09_to_wgs84(lat: float, lng: float) -> LatLng:
    """BD-09 to WGS-84, through GCJ-02."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lng))


def _unchanged(lat: float, lng: float) -> LatLng:
    return lat, lng


_FROM_WGS84 = {WGS84: _unchanged, GCJ02: wgs84_to_gcj02, BD09: wgs84_to_bd09}
_TO_WGS84 = {WGS84: _unchanged, GCJ02: gcj02_to_wgs84, BD09: bd09_to_wgs84}


def from_wgs84(lat: float, lng: float, crs: str) -> LatLng:
    """A WGS-84 point in ``crs`` (``"wgs84"``, ``"gcj02"`` or ``"bd09"``); ValueError for any other name."""
    try:
        return _FROM_WGS84[crs](lat, lng)
    except KeyError:
        raise ValueError(f"unknown coordinate system {crs!r}") from None


def to_wgs84(lat: float, lng: float, crs: str) -> LatLng:
    """A point given in ``crs`` back in WGS-84; ValueError for an unknown ``crs``."""
    try:
        return _TO_WGS84[crs](lat, lng)
    except KeyError:
        raise ValueError(f"unknown coordinate system {crs!r}") from None


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance in metres between two points of the same coordinate system.

    On a sphere of the mean Earth radius: within 0.5 % of the ellipsoidal distance, plenty for "nearest
    station". Compare WGS-84 with WGS-84: the GCJ-02 shift alone is several hundred metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lng2 - lng1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
