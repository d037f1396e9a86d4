"""The working-day clock: Chinese public holidays and make-up working days, and the time limits.

``chinese_calendar.is_workday`` knows the State Council's published arrangements; ``CalendarOverride`` rows
(national, or a county's) win over it, so next year's calendar can be entered before the package knows it.
Days the package does not know at all (it raises ``NotImplementedError``) count Monday to Friday."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar
from django.conf import settings
from django.db.models import Q

from casework.models import CalendarOverride, TimeLimit


@dataclass
class WorkCalendar:
    """Working days for one county: the package's calendar with the overrides applied."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

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
        ``start`` is used up (whole days, rounded up; integer arithmetic, so 80 % of 15 is 12, not 13)."""
        return self.add_working_days(start, max(1, -(-days * settings.CASEWORK_DUE_SOON_PERCENT // 100)))


def escalation_days_for(level: int) -> int:
    """Working days for the union at escalation ``level`` (1-based): ``CASEWORK_ESCALATION_DAYS``, whose last
    entry serves every higher level."""
    days = settings.CASEWORK_ESCALATION_DAYS
    return int(days[min(level, len(days)) - 1])


def work_calendars(county_codes) -> dict[str | None, WorkCalendar]:
    """Calendars for several counties at once (and ``None``: national only), from one query."""
    counties = {code[:6] for code in county_codes if code}
    rows = CalendarOverride.objects.filter(Q(region__isnull=True) | Q(region_id__in=counties))
    national: dict[dt.date, bool] = {}
    own: dict[str, dict[dt.date, bool]] = {code: {} for code in counties}
    for day, is_workday, region_id in rows.values_list("date", "is_workday", "region_id"):
        (national if region_id is None else own[region_id])[day] = is_workday
    calendars: dict[str | None, WorkCalendar] = {None: WorkCalendar(dict(national))}
    for code in counties:
        calendars[code] = WorkCalendar({**national, **own[code]})  # the county wins for the same day
    return calendars


def work_calendar(county_code: str | None = None) -> WorkCalendar:
    """The calendar for one county (national overrides, then the county's own on top). One query."""
    county_code = (county_code or "")[:6] or None
    return work_calendars([county_code] if county_code else [])[county_code]


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


def mediation_period_ends_on(case) -> dt.date:
    """The last day of a mediation case's period, in its station's county (``mediation_period_end``)."""
    return mediation_period_end(case.received_on, case.station.region_id[:6] if case.station_id else None)
