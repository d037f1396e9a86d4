"""The working-day clock across the 2026 National Day holiday, with its make-up Saturday (10 October)."""

import datetime as dt

import pytest

from casework.models import CalendarOverride
from casework.selectors.clock import mediation_period_end, work_calendar
from tests.factories import QINSHUI, YANGCHENG

D = dt.date.fromisoformat


def test_it_skips_national_day_and_counts_the_make_up_saturday(db):
    calendar = work_calendar()
    # Wed 30 Sep; 1-7 Oct off; Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13, Wed 14, Thu 15.
    assert calendar.add_working_days(D("2026-09-30"), 1) == D("2026-10-08")
    assert calendar.add_working_days(D("2026-09-30"), 3) == D("2026-10-10")
    assert calendar.add_working_days(D("2026-09-30"), 7) == D("2026-10-15")


def test_it_starts_counting_after_a_request_filed_during_the_holiday(db):
    assert work_calendar().add_working_days(D("2026-10-03"), 1) == D("2026-10-08")


def test_it_marks_due_soon_on_the_working_day_where_80_percent_is_used(db):
    calendar = work_calendar()
    assert calendar.due_soon(D("2026-09-30"), 7) == D("2026-10-14")  # ceil(5.6) = 6th working day
    assert calendar.due_soon(D("2026-09-30"), 1) == D("2026-10-08")


def test_it_lets_a_county_override_the_package_for_its_own_requests_only(regions):
    CalendarOverride.objects.create(date=D("2026-10-08"), is_workday=False, name="本县调休", region_id=QINSHUI)
    assert work_calendar(QINSHUI).add_working_days(D("2026-09-30"), 1) == D("2026-10-09")
    assert work_calendar(YANGCHENG).add_working_days(D("2026-09-30"), 1) == D("2026-10-08")


def test_it_takes_next_years_calendar_before_the_package_knows_it(regions):
    CalendarOverride.objects.create(date=D("2027-01-01"), is_workday=False, name="元旦")
    CalendarOverride.objects.create(date=D("2027-01-04"), is_workday=False, name="元旦")
    CalendarOverride.objects.create(date=D("2027-01-09"), is_workday=True, name="元旦调休")
    calendar = work_calendar(QINSHUI)
    assert calendar.add_working_days(D("2026-12-31"), 1) == D("2027-01-05")
    assert calendar.is_workday(D("2027-01-09"))  # a Saturday


def test_it_ends_a_county_row_over_a_national_one_for_the_same_day(regions):
    CalendarOverride.objects.create(date=D("2026-10-08"), is_workday=False, name="全国")
    CalendarOverride.objects.create(date=D("2026-10-08"), is_workday=True, name="本县", region_id=QINSHUI)
    assert work_calendar(QINSHUI).is_workday(D("2026-10-08"))
    assert not work_calendar(YANGCHENG).is_workday(D("2026-10-08"))


@pytest.mark.parametrize(
    ("received", "ends"),
    [
        ("2026-09-01", "2026-09-16"),  # an ordinary Wednesday: 15 calendar days, receipt day not counted
        ("2026-09-10", "2026-09-28"),  # 25 Sep is Mid-Autumn, then a weekend: the next working day
        ("2026-09-20", "2026-10-08"),  # 5 Oct is inside National Day: Thursday 8 October
        ("2026-09-25", "2026-10-10"),  # 10 Oct is the make-up Saturday: a working day, so it stands
    ],
)
def test_it_counts_the_15_day_mediation_period_in_calendar_days(db, received, ends):
    assert mediation_period_end(D(received)) == D(ends)
