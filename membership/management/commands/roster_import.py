"""``manage.py roster_import FILE --user USERNAME [--union NAME] [--sheet N] [--valid-only]``: import a member
roster as the admin does (check, then write, with the user's scope and permissions): all or nothing by
default; with ``--valid-only`` the valid rows are written and the others reported. Prints the counts; exits
non-zero when nothing could be written."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from membership.management.commands._roster_cli import add_common_arguments, sheet_index, upload_of, user_named
from membership.models.roster import ImportMode, ImportStatus
from membership.services.roster import roster_import_create
from membership.services.roster_apply import roster_apply
from membership.services.roster_check import roster_preview
from membership.services.roster_outcome import roster_problems


class Command(BaseCommand):
    help = "Import a member roster file: all or nothing unless --valid-only."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--valid-only", action="store_true", help="write the valid rows, leave out the others")

    def handle(self, *args, **options):
        user = user_named(options["user"])
        upload = upload_of(options["file"])
        mode = ImportMode.VALID_ONLY if options["valid_only"] else ImportMode.ALL_OR_NOTHING
        try:
            roster = roster_import_create(
                file=upload, by=user, mode=mode, union=options["union"], sheet=sheet_index(options["sheet"])
            )
        except PermissionDenied:
            raise CommandError(f"用户 {user.username} 没有导入会员的权限。") from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        finally:
            upload.close()
        roster = roster_preview(roster=roster, user=user)
        if roster.status == ImportStatus.FAILED:
            raise CommandError(roster.error)
        try:
            roster = roster_apply(roster=roster, by=user)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        counts = {
            "import": roster.pk,
            "status": roster.status,
            "rows": roster.rows,
            "created": roster.created if roster.written or roster.status == ImportStatus.DONE else 0,
            "updated": roster.updated if roster.status == ImportStatus.DONE else 0,
            "unchanged": roster.unchanged,
            "transfers": roster.transfers,
            "skipped": roster.skipped,
            "errors": roster.errors,
        }
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
        for problem in roster_problems(roster=roster, limit=50):
            self.stderr.write(f"第 {problem.row_number} 行 {problem.column}：{problem.message}")
        if roster.status != ImportStatus.DONE or (not roster.written and roster.errors):
            raise CommandError("没有写入任何会员：有错误的行见上；修改后重新导入，或使用 --valid-only 只导入正确的行。")
