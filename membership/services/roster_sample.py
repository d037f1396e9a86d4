"""What a checked roster will write, for the preview: a sample of the accepted rows with each value as read
in the file beside the value that will be written (dates, mobiles, defaults normalised), the changes of the
rows that update a member (old -> new per field), and the defaults written for blank cells. Reads only; the
file is opened again for the few rows sampled."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from membership.choices import MemberStatus, Occupation
from membership.models import Member
from membership.models.roster import RosterImport, RosterRow, RowAction
from membership.services.roster_rows import COLUMNS, DEFAULT_OCCUPATION, column_letter
from membership.services.roster_staging import roster_layout
from unionhub.models.regions import UnionOrganization
from unionhub.personal import MOBILE, RESIDENT_ID, mask, mask_text
from unionhub.spreadsheets.reading import SpreadsheetError, cell_text

SHOWN = ["name", "resident_id", "mobile", "union", "employer", "occupation", "join_date", "status"]
ACCEPTED = (RowAction.CREATE, RowAction.UPDATE, RowAction.UNCHANGED)


@dataclass
class Cell:
    column: str  # as the sheet shows it: "C列（手机号）", or the field's name when the file has no such column
    read: str  # the cell as read ("" when blank or no column)
    written: str  # what will be written
    note: str = ""  # a default, "unchanged", a normalisation
    in_file: bool = True  # False: the file has no such column


@dataclass
class SampleRow:
    row_number: int
    action: str
    action_label: str
    hidden: bool
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Change:
    row_number: int
    name: str
    member_id: int
    fields: list[tuple[str, str, str]]  # (field, old, new)


def upload_day(roster: RosterImport) -> dt.date:
    """The day written as the join date of a new member whose row has none."""
    return timezone.localtime(roster.created_at).date()


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def _shown(name: str, value) -> str:
    """A value as the preview shows it: personal numbers masked, dates as 2024-03-05."""
    if value is None or value == "":
        return ""
    if name == "resident_id":
        return mask(str(value), RESIDENT_ID)
    if name == "mobile":
        return mask(str(value), MOBILE)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return mask_text(cell_text(value))[:60]


def roster_sample(*, roster: RosterImport, limit: int = 8) -> list[SampleRow]:
    """The first ``limit`` accepted rows (new, update, unchanged) as read and as they will be written."""
    staged = list(RosterRow.objects.filter(roster=roster, action__in=ACCEPTED).order_by("row_number")[:limit])
    if not staged:
        return []
    raw: dict[int, tuple] = {}
    index: dict[str, int] = {}
    headers: list[str] = []
    wanted = {row.row_number for row in staged}
    try:
        layout = roster_layout(roster)
        headers = layout.headers
        index = {f: i for i, f in enumerate(layout.fields) if f in COLUMNS}
        for number, values in layout.rows:
            if number in wanted:
                raw[number] = values
            if number >= max(wanted):
                break
    except (OSError, SpreadsheetError):
        pass  # the file is gone: the values written are still shown
    finally:
        roster.file.close()
    unions = dict(
        UnionOrganization.objects.filter(pk__in={row.union_id for row in staged if row.union_id}).values_list(
            "pk", "name"
        )
    )
    hidden = set(roster.layout.get("hidden_rows", []))
    day = upload_day(roster)
    rows = []
    for row in staged:
        values = raw.get(row.row_number, ())
        new = row.action == RowAction.CREATE
        written = {
            "name": (row.name, _("dots made one") if row.name_as_read else ""),
            "resident_id": (_shown("resident_id", row.resident_id), ""),
            "mobile": (_shown("mobile", row.mobile), "" if row.mobile or new else _("unchanged")),
            "union": (unions.get(row.union_id, row.union_text), ""),
            "employer": (row.employer or "", "" if row.employer or new else _("unchanged")),
            "occupation": _defaulted(
                _label(Occupation.choices, row.occupation), new, _label(Occupation.choices, DEFAULT_OCCUPATION)
            ),
            "join_date": _defaulted(
                row.join_date.isoformat() if row.join_date else "", new, day.isoformat(), _("the upload day")
            ),
            "status": _defaulted(
                _label(MemberStatus.choices, row.status), new, _label(MemberStatus.choices, MemberStatus.ACTIVE)
            ),
        }
        cells = []
        for name in SHOWN:
            at = index.get(name)
            column = f"{column_letter(at)}列（{headers[at]}）" if at is not None else COLUMNS[name][0]
            read = _shown(name, values[at]) if at is not None and at < len(values) else ""
            value, note = written[name]
            cells.append(Cell(column, read, value, note, at is not None))
        rows.append(SampleRow(row.row_number, row.action, row.get_action_display(), row.row_number in hidden, cells))
    return rows


def _defaulted(value: str, new: bool, default: str, why: str = "") -> tuple[str, str]:
    if value:
        return value, ""
    if new:
        return default, (_("blank: default (%(why)s)") % {"why": why}) if why else _("blank: default")
    return "", _("unchanged")


def roster_changes(*, roster: RosterImport, limit: int = 20) -> list[Change]:
    """The first ``limit`` rows that update a member, each changed field as (field, old, new)."""
    staged = list(RosterRow.objects.filter(roster=roster, action=RowAction.UPDATE).order_by("row_number")[:limit])
    members = Member.objects.in_bulk([row.member_id for row in staged])
    changes = []
    for row in staged:
        member = members.get(row.member_id)
        if member is None:
            continue
        fields = []
        for name, old, new in [
            ("name", member.name, row.name),
            ("mobile", _shown("mobile", member.mobile), _shown("mobile", row.mobile) if row.mobile else None),
            ("employer", member.employer, row.employer),
            ("occupation", _label(Occupation.choices, member.occupation),
             _label(Occupation.choices, row.occupation) if row.occupation else None),
            ("join_date", _shown("join_date", member.join_date), _shown("join_date", row.join_date) or None),
            ("status", _label(MemberStatus.choices, member.status),
             _label(MemberStatus.choices, row.status) if row.status else None),
        ]:  # fmt: skip
            if new is not None and new != old:
                fields.append((COLUMNS[name][0], old or _("(blank)"), new or _("(blank)")))
        changes.append(Change(row.row_number, row.name, member.pk, fields))
    return changes


def roster_defaults(*, roster: RosterImport) -> list[str]:
    """One sentence per default the import writes for blank cells of new members (the join date, the
    occupation, the status), with how many rows it concerns."""
    new = RosterRow.objects.filter(roster=roster, action=RowAction.CREATE)
    counts = {
        "join_date": new.filter(join_date=None).count(),
        "occupation": new.filter(Q(occupation=None) | Q(occupation="")).count(),
        "status": new.filter(Q(status=None) | Q(status="")).count(),
    }
    sentences = []
    if counts["join_date"]:
        sentences.append(
            ngettext(
                "%(n)s new member has no join date: %(day)s, the day the file was uploaded, will be written.",
                "%(n)s new members have no join date: %(day)s, the day the file was uploaded, will be written.",
                counts["join_date"],
            )
            % {"n": counts["join_date"], "day": upload_day(roster).isoformat()}
        )
    if counts["occupation"]:
        sentences.append(
            ngettext(
                "%(n)s new member has no occupation: “%(value)s” will be written.",
                "%(n)s new members have no occupation: “%(value)s” will be written.",
                counts["occupation"],
            )
            % {"n": counts["occupation"], "value": _label(Occupation.choices, DEFAULT_OCCUPATION)}
        )
    if counts["status"]:
        sentences.append(
            ngettext(
                "%(n)s new member has no status: “%(value)s” will be written.",
                "%(n)s new members have no status: “%(value)s” will be written.",
                counts["status"],
            )
            % {"n": counts["status"], "value": _label(MemberStatus.choices, MemberStatus.ACTIVE)}
        )
    return sentences
