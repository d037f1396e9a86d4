"""Shared by ``roster_check`` and ``roster_import``: the user, the file as an upload, the verdicts."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import CommandError

from membership.models.roster import RosterImport, RosterRow, RowAction
from membership.services.roster_outcome import row_messages
from membership.services.roster_transfers import roster_transfer_messages

VERDICT = {
    RowAction.CREATE: "create",
    RowAction.UPDATE: "update",
    RowAction.UNCHANGED: "unchanged",
    RowAction.SKIP: "skip",
    RowAction.TRANSFER: "skip",
    RowAction.ERROR: "refuse",
}


def add_common_arguments(parser) -> None:
    parser.add_argument("file", help="the roster file (XLSX, XLS or CSV)")
    parser.add_argument("--user", required=True, help="import as this user: their scope and permissions apply")
    parser.add_argument("--union", default="", help="union (name or credit code) for rows that name none")
    parser.add_argument("--sheet", type=int, default=None, help="sheet number, 1 = the first (default: found)")


def user_named(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有名为 {username} 的有效用户。")
    return user


def upload_of(path: str) -> File:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"找不到文件 {path}。")
    upload = File(file.open("rb"), name=file.name)
    upload.size = file.stat().st_size
    return upload


def sheet_index(number: int | None) -> int | None:
    if number is None:
        return None
    if number < 1:
        raise CommandError("--sheet 从 1 开始计数。")
    return number - 1


def verdicts(roster: RosterImport, user) -> list[dict]:
    """One verdict per staged row, in file order: row number, verdict, and each (column, message). A person
    registered outside the user's reach is told of as the admin tells it: nothing of the other record."""
    result = []
    transfers = roster_transfer_messages(roster=roster, user=user) if roster.transfers else {}
    for row in RosterRow.objects.filter(roster=roster).order_by("row_number").iterator(2000):
        messages = row_messages(row)
        if row.action == RowAction.TRANSFER:
            messages = [("", transfers.get(row.pk, ""))]
        entry = {"row": row.row_number, "verdict": VERDICT.get(row.action, row.action)}
        entry["problems"] = [{"column": column, "message": message} for column, message in messages]
        result.append(entry)
    return result
