"""Job wishes from a spreadsheet (questionnaires typed up, a meeting's sign-up sheet): the table found and its
columns mapped by the core (``unionhub.spreadsheets``), every row checked by the wish's own rules, and then
either every row saved or none - a list of (row, column, Chinese message) otherwise."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from employment.choices import WishSource
from employment.services.wishes import wish_file
from membership.choices import Occupation
from unionhub.personal import mask_text
from unionhub.scoping import in_scope
from unionhub.spreadsheets.layout import locate_table, map_headers
from unionhub.spreadsheets.reading import SpreadsheetError, cell_text, sheet_reader
from unionhub.spreadsheets.xlsx_stream import xlsx_rows, xlsx_sheet_names

ALIASES = {
    "name": ["姓名", "名字"],
    "occupation": ["求职岗位", "意向岗位", "职业", "岗位"],
    "pay_expected": ["期望月薪", "期望薪资", "期望工资"],
    "max_daily_hours": ["每天工作时长", "每日工作小时", "工作时长"],
    "skills": ["技能", "技能证书", "特长"],
    "mobile": ["手机号码", "手机", "联系电话"],
    "consent": ["同意推荐", "是否同意"],
}
REQUIRED = ["occupation", "pay_expected", "max_daily_hours", "mobile", "consent"]
YES = {"是", "同意", "y", "yes", "1", "true", "√", "✓"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def _occupation(text: str) -> str:
    """An occupation typed as its value, its label, or a part of the label ("外卖骑手" in "网约配送员（外卖骑手）")."""
    if text in Occupation.values:
        return text
    labels = {str(label): value for value, label in Occupation.choices}
    if text in labels:
        return labels[text]
    found = {value for label, value in labels.items() if len(text) >= 2 and text in label}
    return found.pop() if len(found) == 1 else ""


def _open(data: bytes, filename: str):
    if filename.lower().endswith(".xlsx"):
        return xlsx_sheet_names(io.BytesIO(data)), lambda index: xlsx_rows(io.BytesIO(data), index)
    return sheet_reader(data, filename)


def wishes_import(*, station, user, data: bytes, filename: str, source: str = WishSource.IMPORT):
    """(saved count, errors). With any error nothing is saved."""
    if not in_scope(station, user):
        raise PermissionDenied
    try:
        names, open_sheet = _open(data, filename)
        table = locate_table(open_sheet, names, ALIASES, REQUIRED)
    except SpreadsheetError as exc:
        return 0, [RowError(0, "", str(exc))]
    headers = [cell_text(h) for h in table.header]
    fields, _unknown, missing = map_headers(headers, ALIASES, REQUIRED)
    if missing:
        labels = "、".join(ALIASES[name][0] for name in missing)
        return 0, [RowError(table.header_row, "", _("Columns missing: %(columns)s") % {"columns": labels})]
    label_of = {field: header for field, header in zip(fields, headers, strict=True) if field}
    errors: list[RowError] = []
    saved = 0
    with transaction.atomic():
        for number, values in table.rows:
            row = {f: cell_text(v).strip() for f, v in zip(fields, values, strict=False) if f}
            if not any(row.values()):
                continue
            row["occupation"] = _occupation(row.get("occupation", ""))
            row["consent"] = row.get("consent", "").lower() in YES
            try:
                wish_file(station=station, source=source, user=user, **row)
                saved += 1
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors += [RowError(number, label_of.get(field, field), mask_text(m)) for m in messages]
        if errors:
            transaction.set_rollback(True)
            return 0, errors
    return saved, errors
