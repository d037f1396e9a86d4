"""The dashboard figures: applications per day, time to decision, share decided within the promise."""

import datetime as dt

import pytest
from django.utils import timezone

from membership.selectors import application_figures, percentile
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import ApplicationFactory, union_in

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def decided(union, submitted: dt.datetime, minutes: float | None, status="approved"):
    return ApplicationFactory(
        union=union,
        submitted_at=submitted,
        decided_at=submitted + dt.timedelta(minutes=minutes) if minutes is not None else None,
        status=status if minutes is not None else "pending",
    )


@pytest.fixture
def history(regions):
    qinshui, yangcheng = union_in(QINSHUI), union_in(YANGCHENG)
    yesterday = TODAY - dt.timedelta(days=1)
    for minutes in (10, 20, 25, 40):  # 沁水县, yesterday: three within 30 minutes, one late
        decided(qinshui, at(yesterday, 9), minutes)
    decided(qinshui, at(TODAY, 9), 100)  # today, late
    decided(qinshui, at(TODAY - dt.timedelta(days=45), 9), 5)  # outside the 30 days
    decided(yangcheng, at(TODAY, 8), 15)
    return qinshui, yangcheng


def test_it_counts_per_county_and_day_with_median_p90_and_the_share_within_30_minutes(history, carol):
    with _frozen_now(at(TODAY, 20)):
        figures = application_figures(carol, days=30, today=TODAY)
    assert figures.days[0] == TODAY - dt.timedelta(days=29) and figures.days[-1] == TODAY
    assert figures.promise_minutes == 30
    qinshui = next(c for c in figures.counties if c.code == QINSHUI)
    assert qinshui.name == "沁水县"
    assert qinshui.per_day[-2:] == [4, 1] and sum(qinshui.per_day) == 5
    assert (qinshui.submitted, qinshui.decided, qinshui.pending) == (5, 5, 0)
    assert qinshui.median_minutes == pytest.approx(25)
    assert qinshui.p90_minutes == pytest.approx(percentile([10, 20, 25, 40, 100], 0.9))
    assert qinshui.within_promise_share == pytest.approx(3 / 5)
    assert figures.total.submitted == 6


def test_a_county_sees_only_its_own_figures(history, alice, bob):
    with _frozen_now(at(TODAY, 20)):
        mine = application_figures(alice, today=TODAY)
        theirs = application_figures(bob, today=TODAY)
    assert [c.code for c in mine.counties] == [QINSHUI]
    assert [c.code for c in theirs.counties] == [YANGCHENG]


def test_pending_applications_count_against_the_promise_only_once_late(regions, alice):
    union = union_in(QINSHUI)
    decided(union, at(TODAY, 9), None)  # pending for 11 hours: late
    decided(union, at(TODAY, 19, 50), None)  # pending for 10 minutes: not yet known
    decided(union, at(TODAY, 10), 12)
    with _frozen_now(at(TODAY, 20)):
        figures = application_figures(alice, today=TODAY)
    county = figures.counties[0]
    assert (county.submitted, county.decided, county.pending) == (3, 1, 2)
    assert county.within_promise_share == pytest.approx(1 / 2)
    assert county.median_minutes == pytest.approx(12)


def test_no_applications_means_no_figures_not_zeroes(regions, alice):
    figures = application_figures(alice, days=7, today=TODAY)
    assert figures.counties == [] and figures.total.median_minutes is None
    assert figures.total.within_promise_share is None and figures.total.per_day == [0] * 7


def test_percentiles_interpolate_like_postgresql():
    assert percentile([], 0.5) is None
    assert percentile([7], 0.9) == 7
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9) == pytest.approx(91)


def _frozen_now(moment):
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=moment)
