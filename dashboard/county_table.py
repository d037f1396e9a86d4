"""The workbench's county table as shown: each figure linked to the list it counts, narrowed to the county by the
area filter, and rendered by the page as one string per row."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dashboard.selectors.counties import CountyFigures, county_totals
from stations.choices import StationStatus
from unionhub.scoping import AREA_PARAMETER

# The figures that open the list they count, narrowed to the row's county by the area filter: (figure, the list,
# its query besides the county, the permission to open it). The list is read live and the table from the stored
# figures, so the two agree as of the time the figures were counted (tests/unionhub/test_county_figures.py).
# Stations by status link the station list by status; the star levels, rectifications and open requests have no
# list filter of their own and are shown as numbers, as is the total row (a request held by a city's own union
# is in the city's list but in no county's row) and a zero (nothing to open; the figures that are there stand out).
COUNTY_LINKS = {
    "members": ("membership_member", "status__exact=active", "membership.view_member"),
    "applications_waiting": ("membership_membershipapplication", "", "membership.view_membershipapplication"),
    "applications_overdue": (
        "membership_membershipapplication",
        "waiting=overdue",
        "membership.view_membershipapplication",
    ),
    "requests_overdue": ("casework_workerrequest", "due=overdue", "casework.view_workerrequest"),
}
BAD_WHEN_ANY = ("applications_overdue", "requests_overdue")  # shown in red when not zero


@dataclass(frozen=True)
class Cell:
    """One figure of the table as shown: the number, the list it opens ("" for none), red or not."""

    value: int
    url: str = ""
    bad: bool = False

    def __html__(self) -> str:
        shown = f'<a href="{escape(self.url)}">{self.value}</a>' if self.url else str(self.value)
        return f'<td class="uh-bad-cell">{shown}</td>' if self.bad else f"<td>{shown}</td>"


class Cells(list):
    """A row's cells, rendered by the template as one string: a province's table is a hundred rows of a dozen
    figures, which a template loop over the cells renders about four times as slowly."""

    @property
    def html(self) -> SafeString:
        return mark_safe("".join(cell.__html__() for cell in self))  # numbers and escaped URLs only


STATIONS = "stations:"  # a column of stations by status: "stations:operating"
COLUMNS = ("members", "applications_waiting", "applications_overdue", *(f"{STATIONS}{status}" for status in
           StationStatus.values), "starred", "rectifications_open", "requests_open", "requests_overdue")  # fmt: skip


def _link_bases(user) -> dict[str, str]:
    """{column: its list's URL up to the county code} for the lists the user may open: reversed and checked once
    per table, not per cell (a province's table has a hundred rows)."""
    bases = {}
    for name, (label, query, permission) in COUNTY_LINKS.items():
        if user.has_perm(permission):
            bases[name] = reverse(f"admin:{label}_changelist") + f"?{query + '&' if query else ''}{AREA_PARAMETER}="
    if user.has_perm("stations.view_station"):
        stations = reverse("admin:stations_station_changelist")
        for status in StationStatus.values:
            bases[f"{STATIONS}{status}"] = f"{stations}?status__exact={status}&{AREA_PARAMETER}="
    return bases


def _cells(row: CountyFigures, bases: dict[str, str]) -> Cells:
    cells = Cells()
    for name in COLUMNS:
        station_status = name.removeprefix(STATIONS)
        value = row.stations.get(station_status, 0) if station_status != name else getattr(row, name)
        base = bases.get(name)
        cells.append(Cell(value, base + row.code if base and value else "", bad=name in BAD_WHEN_ANY and value > 0))
    return cells


def county_table(user, rows: list[CountyFigures]) -> tuple[list[tuple[CountyFigures, Cells]], Cells]:
    """The table as shown: each county with its cells in column order (linked to the lists the user may open),
    and the total row's cells (numbers only)."""
    bases = _link_bases(user)
    return [(row, _cells(row, bases)) for row in rows], _cells(county_totals(rows), {})
