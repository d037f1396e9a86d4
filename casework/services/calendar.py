"""Loading next year's holidays and make-up working days (调休上班日) from a spreadsheet into
``CalendarOverride``, before ``chinese_calendar`` knows them.

The file is what staff type from the State Council's notice: one row a day, columns 日期, 类型 (休息日 or
调休上班日) and 名称 (e.g. 春节). All or nothing: every row is checked first and nothing is written while any
row has a problem; each problem names its row and column. A day already entered for the same county (or
nationally) is replaced by the file's row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework.models import CalendarOverride
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
def calendar_import(*, data: bytes, filename: str, region: Region | None) -> CalendarImportResult:
    """Read the file and write every day into ``CalendarOverride`` for ``region`` (a county; None: national).
    Raises ValidationError with every problem (nothing written) or for an unreadable file."""
    if region is not None and len(region.code) != 6:
        raise ValidationError(_("Choose a county (a 6-digit division code)."))
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
    return CalendarImportResult(created=created, updated=updated, first=min(days), last=max(days))
