"""Loading next year's holidays and make-up working days (调休上班日) from a spreadsheet into
``CalendarOverride``, before ``chinese_calendar`` knows them.

The file is what staff type from the State Council's notice: one row a day, columns 日期, 类型 (休息日 or
调休上班日) and 名称 (e.g. 春节). All or nothing: every row is checked first and nothing is written while any
row has a problem; each problem names its row and column. A day already entered for the same region (or
nationally) is replaced by the file's row.

Loaded nationally, or by a province or a city, the file is the whole year's calendar for everyone below it:
each year in it becomes known there (``CalendarYear``), and every open request in that area whose due dates
were provisional (counted across that year before it was known) has them recalculated, with a step on its
timeline saying from what to what. A county's file adds its own local days on top of the national calendar;
it recalculates its open requests too, but does not make a year known."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import OPEN_STATUSES, EventKind
from casework.models import CalendarOverride, CalendarYear, RequestEvent, WorkerRequest
from casework.models.calendar import CALENDAR_CODE_LENGTHS
from casework.selectors.clock import escalation_days_for, time_limits, work_calendars
from casework.services.requests import event_add
from unionhub.models import Region
from unionhub.personal import mask_text
from unionhub.spreadsheets import SpreadsheetError, cell_text, map_headers, parse_date, read_rows

COLUMNS = {
    "date": ["日期", "date"],
    "kind": ["类型", "type", "kind"],
    "name": ["名称", "节日", "name"],
    "note": ["备注", "说明", "note"],  # read and ignored: staff often keep a remarks column
}
HOLIDAY_WORDS = {"休息日", "休息", "放假", "节假日", "假日", "holiday"}
WORKDAY_WORDS = {"调休上班日", "调休上班", "上班日", "上班", "补班", "工作日", "workday"}
MAX_ROWS = 400


@dataclass(frozen=True)
class CalendarImportResult:
    created: int
    updated: int
    first: dt.date
    last: dt.date
    years: tuple[int, ...] = ()
    recalculated: int = 0


def _column_label(field: str) -> str:
    return COLUMNS[field][0]


def _parse(headers: list, rows) -> list[tuple[dt.date, bool, str]]:
    fields, unknown, missing = map_headers(headers, COLUMNS, required=["date", "kind"])
    problems = []
    if missing:
        problems.append(
            _("The file has no column %(columns)s; the first row must name the columns %(all)s.")
            % {"columns": "、".join(f"“{_column_label(f)}”" for f in missing), "all": "日期、类型、名称"}
        )
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": "、".join(f"“{u}”" for u in unknown)})
    if problems:
        raise ValidationError(problems)
    parsed, seen = [], {}
    for number, row in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise ValidationError(_("More than %(n)s rows: one year's calendar is far fewer.") % {"n": MAX_ROWS})
        values = {field: row[i] if i < len(row) else None for i, field in enumerate(fields) if field}
        where = {"row": number}
        try:
            day = parse_date(values.get("date"))
        except ValueError as exc:
            problems.append(
                _("Row %(row)s, column “%(column)s”: %(error)s") % {**where, "column": "日期", "error": exc}
            )
            day = None
        kind = cell_text(values.get("kind")).replace(" ", "")
        if kind in HOLIDAY_WORDS:
            is_workday = False
        elif kind in WORKDAY_WORDS:
            is_workday = True
        else:
            problems.append(
                _("Row %(row)s, column “%(column)s”: write %(holiday)s or %(workday)s, not “%(value)s”.")
                % {**where, "column": "类型", "holiday": "休息日", "workday": "调休上班日", "value": mask_text(kind)}
            )
            is_workday = None
        name = cell_text(values.get("name"))
        if len(name) > 50:
            problems.append(_("Row %(row)s, column “%(column)s”: at most 50 characters.") % {**where, "column": "名称"})
        if day is not None and day in seen:
            problems.append(
                _("Row %(row)s, column “%(column)s”: %(day)s is already on row %(other)s.")
                % {**where, "column": "日期", "day": f"{day:%Y-%m-%d}", "other": seen[day]}
            )
        elif day is not None:
            seen[day] = number
        if day is not None and is_workday is not None:
            parsed.append((day, is_workday, name))
    if problems:
        raise ValidationError(problems)
    if not parsed:
        raise ValidationError(_("The file has no rows below its column names."))
    return parsed


@transaction.atomic
def calendar_import(
    *, data: bytes, filename: str, region: Region | None, by=None, now: dt.datetime | None = None
) -> CalendarImportResult:
    """Read the file and write every day into ``CalendarOverride`` for ``region`` (a province, a city or a
    county; None: national); a national, province or city file makes its years known below it; then recalculate
    the provisional due dates of the open requests it reaches. Raises ValidationError with every problem
    (nothing written) or for an unreadable file."""
    now = now or timezone.now()
    if region is not None and len(region.code) not in CALENDAR_CODE_LENGTHS:
        raise ValidationError(_("Choose a province, a city or a county."))
    try:
        headers, rows = read_rows(data, filename)
        parsed = _parse(headers, rows)
    except SpreadsheetError as exc:
        raise ValidationError(str(exc)) from None
    existing = {
        row.date: row
        for row in CalendarOverride.objects.select_for_update().filter(
            region=region, date__in=[day for day, _w, _n in parsed]
        )
    }
    created = updated = 0
    for day, is_workday, name in parsed:
        row = existing.get(day) or CalendarOverride(date=day, region=region)
        updated += bool(row.pk)
        created += not row.pk
        row.is_workday, row.name = is_workday, name
        row.full_clean(validate_unique=False)
        row.save()
    days = [day for day, _w, _n in parsed]
    years = tuple(sorted({day.year for day in days}))
    loaded = []
    if region is None or len(region.code) < 6:
        for year in years:
            record, _created = CalendarYear.objects.update_or_create(
                year=year,
                region=region,
                defaults={
                    "loaded_at": now,
                    "loaded_by": by,
                    "days": sum(1 for day in days if day.year == year),
                    "recalculated": 0,
                },
            )
            loaded.append(record)
    recalculated = requests_recalculate_provisional(region_code=region.code if region else None, now=now, by=by)
    for record in loaded:
        record.recalculated = recalculated
        record.save(update_fields=["recalculated"])
    return CalendarImportResult(
        created=created, updated=updated, first=min(days), last=max(days), years=years, recalculated=recalculated
    )


CLOCK_STEPS = (EventKind.ESCALATED, EventKind.FORWARDED, EventKind.REOPENED)


def _clock_starts(requests: list[WorkerRequest]) -> dict[int, tuple[str, dt.date]]:
    """Each request's last step that started its current limit (escalation, forward, reopen): one query."""
    starts: dict[int, tuple[str, dt.date]] = {}
    steps = RequestEvent.objects.filter(request__in=[r.pk for r in requests], kind__in=CLOCK_STEPS)
    for request_id, kind, at in steps.order_by("at", "pk").values_list("request_id", "kind", "at"):
        starts[request_id] = (kind, timezone.localdate(at))
    return starts


def request_due_dates(request: WorkerRequest, calendar, start: tuple[str, dt.date] | None) -> dict:
    """A request's four dates counted again on ``calendar`` - the rules of filing, acceptance, escalation and
    reopening (``casework.services``) from the days they started - and whether they are still provisional."""
    acknowledge_days, resolve_days = time_limits(request.category, request.region_id)
    filed = timezone.localdate(request.filed_at)
    dates = {
        "acknowledge_due_on": calendar.add_working_days(filed, acknowledge_days),
        "resolve_due_on": calendar.add_working_days(filed, resolve_days),
    }
    if start is None and request.escalation_level == 0:
        days = acknowledge_days if request.acknowledged_at is None else resolve_days
        dates["level_due_on"] = calendar.add_working_days(filed, days)
        dates["due_soon_on"] = calendar.due_soon(filed, days)
        begun = filed
    elif start is not None:
        kind, begun = start
        days = resolve_days if kind == EventKind.REOPENED else escalation_days_for(max(request.escalation_level, 1))
        dates["level_due_on"] = calendar.add_working_days(begun, days)
        dates["due_soon_on"] = calendar.due_soon(begun, days)
    else:  # escalated with no step on record (data entered by hand): its current limit stays as it is
        begun = filed
        dates["level_due_on"], dates["due_soon_on"] = request.level_due_on, request.due_soon_on
    dates["due_provisional"] = calendar.provisional(filed, dates["resolve_due_on"]) or calendar.provisional(
        begun, dates["level_due_on"]
    )
    return dates


def requests_recalculate_provisional(*, region_code: str | None, now: dt.datetime | None = None, by=None) -> int:
    """Count again the due dates of every open request whose dates are provisional, in ``region_code``'s area
    (None: everywhere), with the calendars as they are now; each changed request gets a staff-only step
    (``RECALCULATED``) with the old and new current limit. Returns how many requests' dates changed."""
    now = now or timezone.now()
    requests = WorkerRequest.objects.select_for_update().filter(status__in=OPEN_STATUSES, due_provisional=True)
    if region_code:
        requests = requests.filter(region__code__startswith=region_code)
    requests = list(requests.order_by("pk"))
    if not requests:
        return 0
    calendars = work_calendars({request.region_id[:6] for request in requests})
    starts = _clock_starts(requests)
    fields = ["acknowledge_due_on", "resolve_due_on", "level_due_on", "due_soon_on", "due_provisional"]
    changed = 0
    for request in requests:
        dates = request_due_dates(request, calendars[request.region_id[:6]], starts.get(request.pk))
        before = {name: getattr(request, name) for name in fields}
        for name, value in dates.items():
            setattr(request, name, value)
        if all(before[name] == getattr(request, name) for name in fields):
            continue
        if dates["due_soon_on"] > timezone.localdate(now):
            request.due_soon_notified = False
        request.save(update_fields=[*fields, "due_soon_notified"])
        changed += 1
        event_add(
            request=request,
            kind=EventKind.RECALCULATED,
            at=now,
            actor=by,
            note=_("Current limit %(before)s → %(after)s; resolve by %(resolve_before)s → %(resolve_after)s%(still)s.")
            % {
                "before": f"{before['level_due_on']:%Y-%m-%d}",
                "after": f"{request.level_due_on:%Y-%m-%d}",
                "resolve_before": f"{before['resolve_due_on']:%Y-%m-%d}",
                "resolve_after": f"{request.resolve_due_on:%Y-%m-%d}",
                "still": _(" (still provisional)") if request.due_provisional else "",
            },
        )
    return changed
