"""WGS-84 / GCJ-02 / BD-09 conversions and haversine distances, against published reference values."""

import random

import pytest

from stations import geo

TIANANMEN_WGS84 = (39.908823, 116.397470)
# The algorithm gives 39.9102265, 116.4037136 (the figure often quoted, 39.910227, 116.403715, rounds these
# up in the sixth place).
TIANANMEN_GCJ02 = (39.9102265, 116.4037136)

# The reference outputs published with wandergis/coordtransform (test/app.js) for the point 116.404, 39.915.
REFERENCE_POINT = (39.915, 116.404)
REFERENCE_WGS84_TO_GCJ02 = (39.91640428150164, 116.41024449916938)
REFERENCE_GCJ02_TO_BD09 = (39.92133699351021, 116.41036949371029)
REFERENCE_BD09_TO_GCJ02_ONE_STEP = (39.90865673957631, 116.39762729119315)

LONDON = (51.5074, -0.1278)
TOKYO = (35.6812, 139.7671)
SEOUL_OUTSIDE_BOX = (37.5665, 135.5)  # east of the box


def china_points(n=500, seed=20260101):
    rng = random.Random(seed)
    return [(rng.uniform(18.0, 53.0), rng.uniform(74.0, 134.5)) for _ in range(n)]


def close(a, b, tolerance):
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


def test_it_shifts_tiananmen_into_gcj02_as_the_published_algorithm_does():
    assert close(geo.wgs84_to_gcj02(*TIANANMEN_WGS84), TIANANMEN_GCJ02, 1e-6)


def test_it_reproduces_the_coordtransform_reference_values_exactly():
    assert close(geo.wgs84_to_gcj02(*REFERENCE_POINT), REFERENCE_WGS84_TO_GCJ02, 1e-12)
    assert close(geo.gcj02_to_bd09(*REFERENCE_POINT), REFERENCE_GCJ02_TO_BD09, 1e-12)


def test_the_gcj02_shift_is_a_few_hundred_metres_in_the_county():
    station = (35.6898, 112.1905)  # 龙港镇, 沁水县
    shifted = geo.wgs84_to_gcj02(*station)
    assert 300 < geo.distance_m(*station, *shifted) < 800


def test_bd09_of_a_gcj02_point():
    gcj = geo.wgs84_to_gcj02(*TIANANMEN_WGS84)
    assert close(geo.gcj02_to_bd09(*gcj), (39.9165658, 116.4100865), 1e-6)
    assert close(geo.wgs84_to_bd09(*TIANANMEN_WGS84), (39.9165658, 116.4100865), 1e-6)


def test_the_inverse_of_gcj02_is_exact_to_better_than_1e_7_degrees():
    for point in china_points():
        assert close(geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(*point)), point, 1e-7)
    assert close(geo.gcj02_to_wgs84(*TIANANMEN_GCJ02), TIANANMEN_WGS84, 1e-6)


def test_the_bd09_inverse_refines_the_one_step_formula():
    refined = geo.bd09_to_gcj02(*REFERENCE_POINT)
    # Close to the published one-step result, but exact: converting back gives the BD-09 point again.
    assert close(refined, REFERENCE_BD09_TO_GCJ02_ONE_STEP, 5e-6)
    assert close(geo.gcj02_to_bd09(*refined), REFERENCE_POINT, 1e-9)


@pytest.mark.parametrize("crs", geo.CRS_CHOICES)
def test_every_conversion_round_trips_within_1e_6(crs):
    for point in china_points(200):
        assert close(geo.to_wgs84(*geo.from_wgs84(*point, crs), crs), point, 1e-6)
    assert close(geo.bd09_to_wgs84(*geo.wgs84_to_bd09(*TIANANMEN_WGS84)), TIANANMEN_WGS84, 1e-6)


@pytest.mark.parametrize("point", [LONDON, TOKYO, SEOUL_OUTSIDE_BOX, (-33.8688, 151.2093), (1.3521, 103.8198)])
def test_points_outside_china_are_not_shifted(point):
    assert geo.out_of_china(*point)
    assert geo.wgs84_to_gcj02(*point) == point
    assert geo.gcj02_to_wgs84(*point) == point


def test_points_inside_china_are_shifted():
    assert not geo.out_of_china(*TIANANMEN_WGS84)
    assert geo.wgs84_to_gcj02(*TIANANMEN_WGS84) != TIANANMEN_WGS84


def test_an_unknown_coordinate_system_is_refused():
    with pytest.raises(ValueError):
        geo.from_wgs84(*TIANANMEN_WGS84, "mercator")
    with pytest.raises(ValueError):
        geo.to_wgs84(*TIANANMEN_WGS84, "")


def test_wgs84_is_the_identity():
    assert geo.from_wgs84(*TIANANMEN_WGS84, "wgs84") == TIANANMEN_WGS84
    assert geo.to_wgs84(*TIANANMEN_WGS84, "wgs84") == TIANANMEN_WGS84


def test_haversine_distances():
    assert geo.distance_m(*TIANANMEN_WGS84, *TIANANMEN_WGS84) == 0
    # One degree along a meridian, and a quarter of the equator, on the mean sphere.
    assert geo.distance_m(0, 0, 1, 0) == pytest.approx(111_195.08, abs=0.01)
    assert geo.distance_m(0, 0, 0, 90) == pytest.approx(10_007_557, abs=1)
    # Beijing to Shanghai city centres: about 1,067 km.
    assert geo.distance_m(39.9042, 116.4074, 31.2304, 121.4737) == pytest.approx(1_067_000, rel=0.005)
    # Symmetric, and fine across the antimeridian.
    assert geo.distance_m(35.7, 112.4, 35.8, 112.5) == pytest.approx(geo.distance_m(35.8, 112.5, 35.7, 112.4))
    assert geo.distance_m(0, 179.5, 0, -179.5) == pytest.approx(111_195.08, abs=0.01)
