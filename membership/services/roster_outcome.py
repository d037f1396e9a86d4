"""What a roster import found, for the admin's preview and result pages: the problems row by row, the
transfer candidates, the error workbook to fix and upload again; and the empty template to start from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from membership.choices import Occupation
from membership.masking import mask_resident_id
from membership.models import Member
from membership.models.roster import RosterImport, RosterRow, RowAction
from membership.services.roster import _numbered_rows
from membership.services.roster_rows import (
    COLUMNS,
    ERROR_HEADER,
    ROW_HEADER,
    TEMPLATE_HEADERS,
    UNION_PROBLEMS,
    _aliases,
)
from unionhub.models.regions import OrganizationKind, UnionOrganization
from unionhub.scoping import scope_queryset
from unionhub.spreadsheets.reading import cell_text, map_headers, write_xlsx


@dataclass
class RowProblem:
    row_number: int
    column: str
    message: str


def row_messages(row: RosterRow) -> list[tuple[str, str]]:
    """Every (column, message) of one staged row: the per-cell ones and the file-wide ones."""
    messages = [tuple(item) for item in row.errors]
    if row.duplicate:
        messages.append((COLUMNS["resident_id"][0], _("This ID number appears more than once in the file.")))
    if row.union_problem:
        messages.append((COLUMNS["union"][0], str(UNION_PROBLEMS[row.union_problem])))
    return messages


def roster_problems(*, roster: RosterImport, offset: int = 0, limit: int = 100) -> list[RowProblem]:
    """The errors of rows ``offset`` to ``offset + limit`` (rows with errors, in file order), one per cell."""
    problems = []
    rows = RosterRow.objects.filter(roster=roster, action=RowAction.ERROR).order_by("row_number")
    for row in rows[offset : offset + limit]:
        for column, message in row_messages(row):
            problems.append(RowProblem(row.row_number, column, message))
    return problems


def roster_transfers(*, roster: RosterImport, user, limit: int = 100) -> list[dict]:
    """Transfer candidates: people registered in another union. The other union is named only if the user
    reaches it."""
    rows = list(RosterRow.objects.filter(roster=roster, action=RowAction.TRANSFER).order_by("row_number")[:limit])
    members = {m.pk: m for m in Member.objects.select_related("union").filter(pk__in=[r.member_id for r in rows])}
    reachable = set(scope_queryset(Member.objects.filter(pk__in=list(members)), user).values_list("pk", flat=True))
    result = []
    for row in rows:
        member = members.get(row.member_id)
        result.append(
            {
                "row_number": row.row_number,
                "name": row.name,
                "resident_id": mask_resident_id(row.resident_id),
                "member": member if member and member.pk in reachable else None,
                "union": member.union.name if member and member.pk in reachable else _("a union outside your area"),
            }
        )
    return result


def roster_error_workbook(*, roster: RosterImport) -> bytes:
    """The rows with errors as the user sent them, with the sheet row number first and the errors last, to
    fix and upload again (both added columns are ignored on upload). ID and mobile columns are text."""
    errors: dict[int, list] = {}
    for row in RosterRow.objects.filter(roster=roster, action=RowAction.ERROR).order_by("row_number").iterator(2000):
        errors[row.row_number] = row_messages(row)
    header, rows = _numbered_rows(roster)
    fields, _unknown, _missing = map_headers(header, _aliases(), [])
    text_columns = {i + 1 for i, f in enumerate(fields) if f in ("resident_id", "mobile")}

    def lines() -> Iterator[list]:
        for number, values in rows:
            messages = errors.get(number)
            if messages:
                cells = [
                    "" if v is None else (str(v) if fields[i] in ("resident_id", "mobile") else v)
                    for i, v in enumerate(values[: len(header)])
                ]
                yield [
                    number,
                    *cells,
                    *[""] * (len(header) - len(cells)),
                    "；".join(f"{column}: {message}" for column, message in messages),
                ]

    try:
        headers = [ROW_HEADER, *[cell_text(h) for h in header], ERROR_HEADER]
        return write_xlsx(headers, lines(), text_columns=text_columns)
    finally:
        roster.file.close()


def roster_template(*, user) -> bytes:
    """An XLSX template: the Chinese headers, one example row, the ID and mobile columns formatted as text."""
    union = (
        scope_queryset(UnionOrganization.objects.filter(kind=OrganizationKind.GRASSROOTS, is_holding_pool=False), user)
        .order_by("region_id", "name")
        .values_list("name", flat=True)
        .first()
    )
    with translation.override("zh-hans"):
        occupation = str(Occupation.COURIER.label)
    example = [
        "张三",
        "11010519491231002X",
        "13800138000",
        union or "某某有限公司工会",
        "某某有限公司",
        occupation,
        timezone.localdate().isoformat(),
        "在会",
    ]
    return write_xlsx(TEMPLATE_HEADERS, [example], text_columns={1, 2})
