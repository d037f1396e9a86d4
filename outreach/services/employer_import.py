"""Importing the market-regulation list of employers a county receives as a spreadsheet.

The table is found as people lay it out (``unionhub.spreadsheets.layout``: title rows, annotated headers,
any sheet); every row is checked and every problem reported with its row and column, in Chinese. All or
nothing by default: one bad row and nothing is written (``partial=True`` writes the good rows). An employer
already registered (same credit code) is updated; a union already carrying the credit code is linked and
the employer counted as founded. Rows are written with ``bulk_create`` / ``bulk_update`` in batches."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.choices import STAGE_ORDER, Industry, Stage
from outreach.models import Employer
from unionhub.models.regions import Region, RegionLevel, UnionOrganization
from unionhub.spreadsheets.layout import locate_table, map_headers
from unionhub.spreadsheets.reading import SpreadsheetError, cell_text, sheet_reader
from unionhub.spreadsheets.xlsx_stream import xlsx_rows, xlsx_sheet_names
from unionhub.validators import normalize_credit_code

BATCH = 2000
UPDATE_BATCH = 200
WRITTEN = ("name", "town_id", "industry", "workers", "is_platform", "union_id", "stage")
MAX_ERRORS = 500
ALIASES = {
    "credit_code": ["统一社会信用代码", "信用代码", "社会信用代码", "credit code"],
    "name": ["企业名称", "单位名称", "名称", "市场主体名称", "employer"],
    "town": ["乡镇", "乡镇（街道）", "所属乡镇", "乡镇街道", "园区", "town"],
    "industry": ["行业", "所属行业", "行业类别", "industry"],
    "workers": ["职工人数", "从业人数", "员工人数", "人数", "workers"],
    "is_platform": ["平台企业", "是否平台企业", "platform"],
}
REQUIRED = ["credit_code", "name", "town"]
YES = {"是", "y", "yes", "1", "true", "平台"}
NO = {"", "否", "n", "no", "0", "false"}


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    matched: int = 0  # employers linked to an existing union by credit code
    errors: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _open(data: bytes, filename: str):
    if filename.lower().endswith(".xlsx"):
        handle = io.BytesIO(data)
        return xlsx_sheet_names(handle), lambda index: xlsx_rows(handle, index)
    return sheet_reader(data, filename)


def _labels() -> dict[str, str]:
    return {
        "credit_code": _("credit code"),
        "name": _("name"),
        "town": _("town"),
        "industry": _("industry"),
        "workers": _("workers"),
        "is_platform": _("platform company"),
    }


def _towns(county: Region) -> dict[str, str]:
    """A town's name, full name or code -> its code, for the towns of the county."""
    lookup = {}
    for code, name in Region.objects.filter(code__startswith=county.code, level=RegionLevel.TOWN).values_list(
        "code", "name"
    ):
        lookup[code] = code
        lookup[name] = code
        lookup[f"{county.name}{name}"] = code
    return lookup


def _industries() -> dict[str, str]:
    lookup = {}
    for value, label in Industry.choices:
        lookup[value] = value
        lookup[str(label)] = value
    return lookup


def employer_import(*, data: bytes, filename: str, county: Region, partial: bool = False) -> ImportOutcome:
    """Import the list into ``county``'s register (see the module). Returns the outcome; with errors and not
    ``partial``, nothing was written."""
    outcome = ImportOutcome()
    try:
        names, open_sheet = _open(data, filename)
        table = locate_table(open_sheet, names, ALIASES, REQUIRED)
    except SpreadsheetError as exc:
        outcome.errors.append(str(exc))
        return outcome
    headers = [cell_text(h) for h in table.header]
    fields, _unknown, missing = map_headers(headers, ALIASES, REQUIRED)
    labels = _labels()
    if missing:
        outcome.errors.append(
            _("The file has no column for: %(fields)s.") % {"fields": "、".join(labels[m] for m in missing)}
        )
        return outcome
    column = {name: index for index, name in enumerate(fields) if name}
    letters = {name: _column_letter(index) for name, index in column.items()}
    towns, industries = _towns(county), _industries()
    parsed: dict[str, dict] = {}

    def error(row: int, name: str, message: str) -> None:
        if len(outcome.errors) < MAX_ERRORS:
            outcome.errors.append(
                _("Row %(row)s, column %(column)s (%(header)s): %(message)s")
                % {"row": row, "column": letters[name], "header": headers[column[name]], "message": message}
            )

    for number, values in table.rows:
        cells = {name: cell_text(values[i]) if i < len(values) else "" for name, i in column.items()}
        if not any(cells.values()):
            continue
        outcome.rows += 1
        bad = False
        try:
            code = normalize_credit_code(cells["credit_code"])
        except ValidationError as exc:
            error(number, "credit_code", exc.messages[0])
            code, bad = None, True
        if code and code in parsed:
            error(number, "credit_code", _("The same credit code is on row %(row)s.") % {"row": parsed[code]["row"]})
            bad = True
        if not cells["name"]:
            error(number, "name", _("The name is empty."))
            bad = True
        town = towns.get(cells["town"])
        if town is None:
            error(
                number, "town", _("“%(town)s” is not a town of %(county)s.") % {"town": cells["town"], "county": county}
            )
            bad = True
        industry = Industry.OTHER
        if cells.get("industry"):
            industry = industries.get(cells["industry"])
            if industry is None:
                error(number, "industry", _("Unknown industry “%(value)s”.") % {"value": cells["industry"]})
                bad = True
        workers = 0
        if cells.get("workers"):
            try:
                workers = int(float(cells["workers"]))
                if workers < 0:
                    raise ValueError
            except ValueError:
                error(number, "workers", _("“%(value)s” is not a number of workers.") % {"value": cells["workers"]})
                bad = True
        platform = cells.get("is_platform", "").lower()
        if platform not in YES and platform not in NO:
            error(number, "is_platform", _("Write 是 or 否."))
            bad = True
        if not bad:
            parsed[code] = {
                "row": number,
                "name": cells["name"][:100],
                "town_id": town,
                "industry": industry,
                "workers": workers,
                "is_platform": platform in YES,
            }
    if outcome.rows == 0:
        outcome.errors.append(_("The file has no employers below its header."))
    if outcome.errors and not partial:
        return outcome
    _check_register(parsed, county, outcome, error)
    if outcome.errors and not partial:
        return outcome
    with transaction.atomic():
        _write(parsed, outcome)
    return outcome


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _check_register(parsed: dict, county: Region, outcome: ImportOutcome, error) -> None:
    """Codes registered in another county, and names registered in the same town under another code."""
    codes = list(parsed)
    for start in range(0, len(codes), BATCH):
        chunk = codes[start : start + BATCH]
        for code, town in Employer.objects.filter(credit_code__in=chunk).values_list("credit_code", "town_id"):
            if not town.startswith(county.code):
                error(parsed[code]["row"], "credit_code", _("This credit code is registered in another county."))
                parsed.pop(code)
    by_name = {(row["town_id"], row["name"]): code for code, row in parsed.items()}
    towns = {town for town, _name in by_name}
    for town, name, code in Employer.objects.filter(town_id__in=towns).values_list("town_id", "name", "credit_code"):
        mine = by_name.get((town, name))
        if mine is not None and mine != code:
            error(
                parsed[mine]["row"],
                "name",
                _("“%(name)s” is already registered in this town under the credit code %(code)s.")
                % {"name": name, "code": code},
            )
            parsed.pop(mine, None)


def _values(employer: Employer) -> tuple:
    return tuple(getattr(employer, name) for name in WRITTEN)


def _write(parsed: dict, outcome: ImportOutcome) -> None:
    codes = list(parsed)
    now = timezone.now()
    for start in range(0, len(codes), BATCH):
        chunk = codes[start : start + BATCH]
        unions = dict(UnionOrganization.objects.filter(credit_code__in=chunk).values_list("credit_code", "id"))
        existing = {e.credit_code: e for e in Employer.objects.filter(credit_code__in=chunk)}
        new, changed = [], []
        for code in chunk:
            row = parsed[code]
            union_id = unions.get(code)
            outcome.matched += union_id is not None
            employer = existing.get(code)
            before = None
            if employer is None:
                employer = Employer(credit_code=code, stage_changed_at=now)
                new.append(employer)
            else:
                before = _values(employer)
            for name in ("name", "town_id", "industry", "workers", "is_platform"):
                setattr(employer, name, row[name])
            if union_id is not None:
                employer.union_id = union_id
                if STAGE_ORDER.index(employer.stage) < STAGE_ORDER.index(Stage.FOUNDED):
                    employer.stage, employer.stage_changed_at = Stage.FOUNDED, now
            if before is not None:
                outcome.updated += 1
                if _values(employer) != before:  # an unchanged row is not written again
                    changed.append(employer)
        Employer.objects.bulk_create(new, batch_size=BATCH)
        fields = ["name", "town_id", "industry", "workers", "is_platform", "union_id", "stage", "stage_changed_at"]
        # Small batches: an UPDATE's CASE per column grows with the batch, and its cost faster than that.
        Employer.objects.bulk_update(changed, [f.removesuffix("_id") for f in fields], batch_size=UPDATE_BATCH)
        outcome.created += len(new)
