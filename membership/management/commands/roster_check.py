"""``manage.py roster_check FILE --user USERNAME [--union NAME] [--sheet N] [--format json]``: check a member
roster exactly as the admin's preview does (the same service, the user's scope), print the column mapping
and one verdict per row, and write nothing (the check runs in a transaction that is rolled back)."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from membership.management.commands._roster_cli import (
    add_common_arguments,
    sheet_index,
    upload_of,
    user_named,
    verdicts,
)
from membership.services.roster import roster_import_create
from membership.services.roster_check import roster_preview
from membership.services.roster_rows import COLUMNS


class _Rollback(Exception):
    pass


def _field_label(field: str | None) -> str:
    """A column's field as county staff read it: the template's header, "not imported" or "not mapped"."""
    if not field:
        return "（未对应，须选择字段或设为不导入）"
    if field.startswith("_"):
        return "（不导入）"
    return COLUMNS[field][0] if field in COLUMNS else field


class Command(BaseCommand):
    help = "Check a member roster file without writing: the column mapping and one verdict per row."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        user = user_named(options["user"])
        upload = upload_of(options["file"])
        report = {}
        stored = None
        try:
            with transaction.atomic():
                try:
                    roster = roster_import_create(
                        file=upload, by=user, union=options["union"], sheet=sheet_index(options["sheet"])
                    )
                except PermissionDenied:
                    raise CommandError(f"用户 {user.username} 没有导入会员的权限。") from None
                except ValidationError as exc:
                    raise CommandError("；".join(exc.messages)) from None
                stored = roster.file.name
                roster = roster_preview(roster=roster, user=user)
                report = {
                    "file": upload.name,
                    "status": roster.status,
                    "error": roster.error,
                    "sheet": roster.layout.get("sheet"),
                    "header_row": roster.layout.get("header_row"),
                    "columns": roster.layout.get("columns", []),
                    "unmapped": roster.unknown_columns,
                    "counts": {
                        "rows": roster.rows,
                        "create": roster.created,
                        "update": roster.updated,
                        "unchanged": roster.unchanged,
                        "transfer": roster.transfers,
                        "skip": roster.skipped,
                        "refuse": roster.errors,
                    },
                    "rows": verdicts(roster, user),
                }
                raise _Rollback
        except _Rollback:
            pass
        finally:
            upload.close()
            if stored:
                from django.core.files.storage import default_storage

                default_storage.delete(stored)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))
            return
        if report["error"]:
            self.stdout.write(report["error"])
        for column in report["columns"]:
            self.stdout.write(f"列 {column['index'] + 1} {column['header']} -> {_field_label(column['field'])}")
        for row in report["rows"]:
            problems = "；".join(f"{p['column']}：{p['message']}" for p in row["problems"])
            self.stdout.write(f"第 {row['row']} 行\t{row['verdict']}\t{problems}")
        self.stdout.write(json.dumps(report["counts"], ensure_ascii=False))
