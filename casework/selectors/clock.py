"""The working-day clock: Chinese public holidays and make-up working days, and the time limits.

``chinese_calendar.is_workday`` knows the State Council's published arrangements for the years it covers
(1.11.0: 2004-2026). ``CalendarOverride`` rows (national, a province's, a city's, a county's) win over it, the
most local first. A year is *known* where the package covers it or where its whole calendar was loaded
(``CalendarYear``: nationally, or by the province or city above the county). A day in a year that is not known
is never silently taken for an ordinary weekday: the clock estimates it (Monday to Friday, less the statutory
holidays with fixed dates - 元旦, 劳动节, 国庆节 - which every year has) and says so, and whatever is counted
across such a day is *provisional* (``WorkCalendar.provisional``) until the year is loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar
from chinese_calendar.constants import holidays as _package_holidays
from django.conf import settings
from django.db.models import DateField, PositiveSmallIntegerField, Q, Value

from casework.models import CalendarOverride, CalendarYear, TimeLimit
from casework.models.calendar import CALENDAR_CODE_LENGTHS

PACKAGE_YEARS = frozenset(range(min(_package_holidays).year, max(_package_holidays).year + 1))
# 全国年节及纪念日放假办法 (2024 revision): the holidays on fixed Gregorian dates. The lunar ones (春节, 清明,
# 端午, 中秋) and the make-up days cannot be known before the State Council publishes the year.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


def _region_prefixes(code: str | None) -> list[str]:
    """The province, city and county codes a county's calendar reads, broadest first."""
    code = code or ""
    return [code[:length] for length in CALENDAR_CODE_LENGTHS if len(code) >= length]


@dataclass
class WorkCalendar:
    """Working days for one county: the package's calendar with the overrides applied, and the years known."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    loaded_years: frozenset[int] = frozenset()

    @property
    def known_years(self) -> frozenset[int]:
        return PACKAGE_YEARS | self.loaded_years

    def knows(self, year: int) -> bool:
        return year in self.known_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in PACKAGE_YEARS:
            return chinese_calendar.is_workday(day)
        if day.year in self.loaded_years:  # the loaded file lists every holiday and make-up day of the year
            return day.weekday() < 5
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS  # an estimate: provisional

    def provisional(self, start: dt.date, end: dt.date) -> bool:
        """Whether counting from ``start`` (not counted) to ``end`` crossed a day of a year not known."""
        first = start + dt.timedelta(days=1)
        return any(not self.knows(year) for year in range(first.year, end.year + 1)) if end >= first else False

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start``; ``start`` itself never counts (a request filed on a
        Friday evening or during a holiday has its first working day on the next working day)."""
        day, counted = start, 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def due_soon(self, start: dt.date, days: int) -> dt.date:
        """The working day during which ``CASEWORK_DUE_SOON_PERCENT`` (80 %) of a ``days``-working-day limit from
        ``start`` is used up (whole days, rounded up; integer arithmetic, so 80 % of 15 is 12, not 13), but for
        a limit of 2 days or more never the due day itself: at the latest the working day before it (a warning
        on the due day is no warning). A 1-day limit is due soon on its only day."""
        used = max(1, -(-days * settings.CASEWORK_DUE_SOON_PERCENT // 100))
        if days >= 2:
            used = min(used, days - 1)
        return self.add_working_days(start, used)


def escalation_days_for(level: int) -> int:
    """Working days for the union at escalation ``level`` (1-based): ``CASEWORK_ESCALATION_DAYS``, whose last
    entry serves every higher level."""
    days = settings.CASEWORK_ESCALATION_DAYS
    return int(days[min(level, len(days)) - 1])


def work_calendars(county_codes) -> dict[str | None, WorkCalendar]:
    """Calendars for several counties at once (and ``None``: national only), from one query: every county reads
    the national rows, then its province's, its city's and its own (the most local wins for the same day), and
    knows the years loaded nationally or for its province or city."""
    counties = {code[:6] for code in county_codes if code}
    regions = {prefix for code in counties for prefix in _region_prefixes(code)}
    where = Q(region__isnull=True) | Q(region_id__in=regions)
    days: dict[str | None, dict[dt.date, bool]] = {None: {}, **{code: {} for code in regions}}
    years: dict[str | None, set[int]] = {None: set(), **{code: set() for code in regions}}
    # One statement: the overrides (a date) and the years loaded (no date), as one list of rows.
    overrides = (
        CalendarOverride.objects.filter(where)
        .order_by()
        .values_list("date", "is_workday", "region_id", Value(None, output_field=PositiveSmallIntegerField()))
    )
    loaded = (
        CalendarYear.objects.filter(where)
        .order_by()
        .values_list(Value(None, output_field=DateField()), Value(False), "region_id", "year")
    )
    for day, is_workday, region_id, year in overrides.union(loaded, all=True):
        if day is None:
            years[region_id].add(year)
        else:
            days[region_id][day] = is_workday
    calendars: dict[str | None, WorkCalendar] = {None: WorkCalendar(dict(days[None]), frozenset(years[None]))}
    for code in counties:
        merged, known = dict(days[None]), set(years[None])
        for prefix in _region_prefixes(code):
            merged |= days[prefix]
            known |= years[prefix]
        calendars[code] = WorkCalendar(merged, frozenset(known))
    return calendars


def work_calendar(county_code: str | None = None) -> WorkCalendar:
    """The calendar for one county (national overrides, then the province's, city's and county's on top)."""
    county_code = (county_code or "")[:6] or None
    return work_calendars([county_code] if county_code else [])[county_code]


def calendar_year_known(year: int, region_code: str | None = None) -> bool:
    """Whether ``year``'s calendar is known for a region (the package's years, or loaded nationally or for the
    region or any region above it). A province's or city's staff: loaded for it or above it."""
    if year in PACKAGE_YEARS:
        return True
    return calendar_years_loaded(year, region_code).exists()


def calendar_years_loaded(year: int, region_code: str | None = None):
    """The ``CalendarYear`` rows that make ``year`` known for a region (loaded nationally or for the region or
    any region above it); the package's own years need none (``calendar_year_known``)."""
    prefixes = _region_prefixes(region_code)
    return CalendarYear.objects.filter(Q(region__isnull=True) | Q(region_id__in=prefixes), year=year)


def time_limits(category: str, county_code: str | None) -> tuple[int, int]:
    """(accept within, resolve within) working days for a category in a county: the county's row, the
    national default row, else the defaults in settings (``CASEWORK_ACKNOWLEDGE_DAYS``, ``CASEWORK_RESOLVE_DAYS``)."""
    county_code = (county_code or "")[:6]
    rows = {
        region_id: (ack, resolve)
        for region_id, ack, resolve in TimeLimit.objects.filter(category=category).values_list(
            "region_id", "acknowledge_days", "resolve_days"
        )
    }
    return (
        rows.get(county_code) or rows.get(None) or (settings.CASEWORK_ACKNOWLEDGE_DAYS, settings.CASEWORK_RESOLVE_DAYS)
    )


def mediation_period_end(received_on: dt.date, county_code: str | None = None) -> dt.date:
    """The last day of the 15-day mediation period (劳动争议调解仲裁法 第十四条).

    Calendar days, the day of receipt not counted; when the last day is a public holiday or rest day the period
    ends on the next working day (the general rule for periods: 民法典 第二百零三条, 民事诉讼法 on 期间)."""
    last = received_on + dt.timedelta(days=settings.CASEWORK_MEDIATION_PERIOD_DAYS)
    return work_calendar(county_code).next_workday(last)


def mediation_periods_end(cases) -> dict[int, dt.date]:
    """``mediation_period_ends_on`` for many cases (their stations selected) with one read of the calendars."""
    county = {case.pk: case.station.region_id[:6] if case.station_id else None for case in cases}
    calendars = work_calendars({code for code in county.values() if code})
    days = dt.timedelta(days=settings.CASEWORK_MEDIATION_PERIOD_DAYS)
    return {case.pk: calendars[county[case.pk]].next_workday(case.received_on + days) for case in cases}


def mediation_period_ends_on(case) -> dt.date:
    """The last day of a mediation case's period, in its station's county (``mediation_period_end``)."""
    return mediation_period_end(case.received_on, case.station.region_id[:6] if case.station_id else None)
