"""Domain operations on stations. Admin actions, views, commands and tasks call these; none holds rules of
its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.choices import MINIMUM_AREA, STATUS_TRANSITIONS, LiuYou, StationKind, StationStatus, TeamKind
from stations.models import Facility, OpeningHours, Rectification, Station, StatusChange

KIND_LETTER = {
    StationKind.LABOUR_RELATIONS: "L",
    StationKind.REST_STATION: "R",
    StationKind.WORKSHOP: "W",
    StationKind.WORKERS_HOME: "H",
}


def required_facilities(kind: str) -> list[Facility]:
    """The basic facilities of a kind (shared catalogue entries marked as required for it)."""
    return [f for f in Facility.objects.filter(region__isnull=True) if kind in (f.required_for or [])]


def station_missing_items(
    station: Station, *, facility_ids: Iterable[int] | None = None, team_kinds: Iterable[str] | None = None
) -> list[str]:
    """What keeps a station from meeting its kind's standard, as short Chinese-ready labels.

    ``facility_ids``/``team_kinds`` may be given for a station being edited (not yet saved)."""
    if facility_ids is None:
        facility_ids = station.facilities.values_list("pk", flat=True) if station.pk else []
    have = set(facility_ids)
    missing = [f.name for f in required_facilities(station.kind) if f.pk not in have]
    minimum = MINIMUM_AREA.get(station.kind)
    if minimum and (station.area_m2 is None or station.area_m2 < minimum):
        missing.append(_("area ≥ %(minimum)s m²") % {"minimum": minimum})
    if station.kind == StationKind.LABOUR_RELATIONS:
        checked = set(station.liuyou or [])
        missing += [str(label) for value, label in LiuYou.choices if value not in checked]
        if team_kinds is None:
            team_kinds = station.teams.values_list("kind", flat=True) if station.pk else []
        teams = set(team_kinds)
        missing += [str(label) for value, label in TeamKind.choices if value not in teams]
    return missing


def station_refresh(*, station: Station) -> None:
    """Recompute the stored completeness of a station (after its facilities and teams are saved)."""
    missing = station_missing_items(station)
    station.is_complete = not missing
    station.missing_items = "、".join(missing)[:300]
    Station.objects.filter(pk=station.pk).update(is_complete=station.is_complete, missing_items=station.missing_items)


def station_next_code(*, region_code: str, kind: str) -> str:
    """The next free code for a town and kind: 140521104-R-001, 140521104-R-002, …"""
    prefix = f"{region_code}-{KIND_LETTER[kind]}-"
    last = Station.objects.filter(code__startswith=prefix).aggregate(last=Max("code"))["last"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def station_save(*, station: Station) -> Station:
    """Validate and save a station, assigning a code when it has none."""
    if not station.code:
        station.code = station_next_code(region_code=station.region_id, kind=station.kind)
    station.full_clean()
    station.save()
    return station


@transaction.atomic
def status_change_problems(*, from_status: str, to_status: str, reason: str, date: dt.date | None) -> dict[str, str]:
    """Why a lifecycle step would be refused, by what is wrong (``to_status``, ``reason``, ``date``): the one
    rule that both ``station_change_status`` and the station form apply."""
    problems = {}
    if to_status not in STATUS_TRANSITIONS[from_status]:
        problems["to_status"] = _("A station cannot go from “%(from)s” to “%(to)s”.") % {
            "from": StationStatus(from_status).label,
            "to": StationStatus(to_status).label,
        }
    if not (reason or "").strip():
        problems["reason"] = _("Give the reason for the status change.")
    if date and date > timezone.localdate():
        problems["date"] = _("The date of a status change cannot be in the future.")
    return problems


def operating_facilities_problem(*, kind: str, facility_ids: Iterable[int]) -> str | None:
    """Why an operating rest station or workshop rest stop with these facilities would fall short of the
    basic standard (None when it does not)."""
    if kind not in (StationKind.REST_STATION, StationKind.WORKSHOP):
        return None
    have = set(facility_ids)
    missing = [f.name for f in required_facilities(kind) if f.pk not in have]
    if not missing:
        return None
    return _("An operating %(kind)s must have the basic facilities. Missing: %(items)s") % {
        "kind": StationKind(kind).label,
        "items": "、".join(missing),
    }


def station_change_status(
    *, station: Station, to_status: str, reason: str, user=None, date: dt.date | None = None
) -> StatusChange:
    """Move a station along its lifecycle, recording the date and reason.

    Refused with a clear message when the step is not allowed (a delisted station is final), the reason is
    empty, or the station would start operating without meeting its kind's basic standard."""
    station = Station.objects.select_for_update().get(pk=station.pk)
    date = date or timezone.localdate()
    problems = status_change_problems(from_status=station.status, to_status=to_status, reason=reason, date=date)
    if problems:
        raise ValidationError(list(problems.values()))
    if to_status == StationStatus.OPERATING:
        missing = station_missing_items(station)
        if missing:
            raise ValidationError(
                _("The station cannot start operating before it meets the standard. Missing: %(items)s")
                % {"items": "、".join(missing)}
            )
    change = StatusChange.objects.create(
        station=station, from_status=station.status, to_status=to_status, date=date, reason=reason, changed_by=user
    )
    station.status = to_status
    station.status_since = date
    station.save(update_fields=["status", "status_since"])
    return change


def opening_hours_check(periods: Iterable[tuple[int, dt.time, dt.time]]) -> list[str]:
    """Overlapping periods on the same weekday, as messages (empty when none). A period is
    (weekday, opens, closes) with closes 00:00 meaning midnight."""
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, opens, closes in periods:
        end = dt.time.max if closes == dt.time(0, 0) else closes
        by_day.setdefault(weekday, []).append((opens, end))
    problems = []
    for weekday, spans in sorted(by_day.items()):
        spans.sort()
        for (a_open, a_close), (b_open, _b_close) in zip(spans, spans[1:], strict=False):
            if b_open < a_close:
                problems.append(
                    _("The periods starting %(a)s and %(b)s on %(day)s overlap.")
                    % {
                        "a": f"{a_open:%H:%M}",
                        "b": f"{b_open:%H:%M}",
                        "day": OpeningHours(weekday=weekday).get_weekday_display(),
                    }
                )
    return problems


def rectification_problems(
    *, station: Station, deadline: dt.date | None, issued_on: dt.date | None = None, step: bool = False
) -> dict[str, str]:
    """Why a notice cannot be issued, by field ("" for the whole form): a deadline before the issue date;
    and, as the station page's 整改 step (``step``), a station that is not operating."""
    problems = {}
    if deadline and deadline < (issued_on or timezone.localdate()):
        problems["deadline"] = _("The deadline is before the notice is issued.")
    if step and station.status != StationStatus.OPERATING:
        problems[""] = _("Only an operating station is given a rectification notice.")
    return problems


@transaction.atomic
def rectification_issue(
    *, station: Station, findings: str, deadline: dt.date, user=None, issued_on: dt.date | None = None
) -> Rectification:
    """Issue a rectification notice; an operating station moves to "rectifying"."""
    problems = rectification_problems(station=station, deadline=deadline, issued_on=issued_on)
    if problems:
        raise ValidationError(problems)
    notice = Rectification(
        station=station,
        findings=findings,
        deadline=deadline,
        issued_by=user,
        issued_on=issued_on or timezone.localdate(),
    )
    notice.full_clean()
    notice.save()
    if station.status == StationStatus.OPERATING:
        station_change_status(
            station=station, to_status=StationStatus.RECTIFYING, reason=_("Rectification notice issued"), user=user
        )
    return notice


@transaction.atomic
def rectification_close(
    *, notice: Rectification, outcome: str, user=None, date: dt.date | None = None
) -> Rectification:
    """Close a notice with its outcome; a rectifying station with no other open notice operates again."""
    notice.closed_on = date or timezone.localdate()
    notice.outcome = outcome
    notice.full_clean()
    notice.save()
    station = notice.station
    still_open = station.rectifications.filter(closed_on__isnull=True).exists()
    if station.status == StationStatus.RECTIFYING and not still_open:
        try:
            with transaction.atomic():
                station_change_status(
                    station=station, to_status=StationStatus.OPERATING, reason=_("Rectification completed"), user=user
                )
        except ValidationError:
            # The notice is closed, but the station still misses part of its standard: it stays rectifying
            # until county staff move it on.
            pass
    return notice


@transaction.atomic
def station_restore(*, station: Station, reason: str, user=None, date: dt.date | None = None) -> Station:
    """恢复: a rectifying station operates again. Its open notices are closed with the reason as their outcome
    (the last close moves the station on); refused, nothing closed, when the step is not allowed or the station
    still misses part of its standard."""
    date = date or timezone.localdate()
    problems = status_change_problems(
        from_status=station.status, to_status=StationStatus.OPERATING, reason=reason, date=date
    )
    if problems:
        raise ValidationError(list(problems.values()))
    for notice in station.rectifications.filter(closed_on__isnull=True):
        notice.closed_on, notice.outcome = date, reason
        notice.full_clean()
        notice.save()
    station.refresh_from_db()
    if station.status != StationStatus.OPERATING:
        station_change_status(station=station, to_status=StationStatus.OPERATING, reason=reason, user=user, date=date)
    station.refresh_from_db()
    return station
