"""The roster check (preview): read, validate and classify every row, writing only staging rows; the
set-based checks of the file as a whole; classifying the staged rows again before they are written."""

import json
import time
from collections.abc import Callable

from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.choices import JOINABLE_KINDS
from membership.models import Member
from membership.models.roster import ImportStatus, RosterImport, RosterRow, RowAction
from membership.services.roster_rows import (
    COLUMNS,
    REQUIRED,
    RowCheck,
    row_is_blank,
)
from membership.services.roster_staging import BATCH, NoHeader, _Stager, roster_layout
from unionhub.models.regions import UnionOrganization
from unionhub.scoping import scope_queryset
from unionhub.spreadsheets.reading import SpreadsheetError

CHECKABLE = (ImportStatus.UPLOADED, ImportStatus.PREVIEWED, ImportStatus.REFUSED, ImportStatus.FAILED)


def _claim(roster: RosterImport) -> bool:
    """Take the import for one check. A conditional UPDATE (it locks the import row until it commits): two
    checks of the same upload at once (a double click, a job delivered twice) stage its rows once; the
    other returns at once."""
    return bool(
        RosterImport.objects.filter(pk=roster.pk, status__in=CHECKABLE).update(
            status=ImportStatus.PREVIEWING, error="", finished_at=None
        )
    )


def _staging_row(roster_id: int, number: int, out: dict, errors: list, action: str = "") -> list:
    return [
        roster_id,
        number,
        out["resident_id"],
        out["name"],
        out["gender"],
        out["birth_date"],
        out["mobile"],
        out["union_text"],
        out["employer"],
        out["occupation"],
        out["join_date"],
        out["status"],
        out["card_year"],
        bool(errors) and action != RowAction.SKIP,
        json.dumps(errors, ensure_ascii=False) if errors else "[]",
        "",
        "",
        False,
        action,
        None,
        None,
        out.get("name_as_read", ""),
    ]


_SKIPPED = {
    "resident_id": "",
    "name": "",
    "gender": "",
    "birth_date": None,
    "mobile": None,
    "union_text": "",
    "employer": None,
    "occupation": None,
    "join_date": None,
    "status": None,
    "card_year": 0,
}


def roster_preview(*, roster: RosterImport, user=None, progress: Callable[..., None] | None = None) -> RosterImport:
    """Read, validate and classify every row of the roster, writing only staging rows. Idempotent: a second
    run replaces the first run's staging rows, and a run while another is under way does nothing. A file
    that cannot be read as a roster at all (hostile, broken, no header, a required column not mapped) ends
    the import as failed with the reason in ``error`` and what was found in ``layout``, so that the user can
    map the columns and check again."""
    user = user or roster.created_by
    if not _claim(roster):
        roster.refresh_from_db()
        return roster
    RosterRow.objects.filter(roster=roster).delete()
    roster.refresh_from_db()
    today = timezone.localtime(roster.created_at).date()
    stager = _Stager(roster, user)
    layout = None
    try:
        layout = roster_layout(roster)
        fields = layout.fields
        if layout.table.others:
            names = [layout.table.sheet_names[i] for i in [layout.table.sheet, *layout.table.others]]
            raise SpreadsheetError(
                _(
                    "Sheets %(sheets)s each look like a roster. Nothing was read: choose the sheet to import "
                    "below and check again, then upload the file again for each other sheet (or put all the "
                    "members on one sheet)."
                )
                % {"sheets": "、".join(f"“{name}”" for name in names)}
            )
        missing = [f for f in REQUIRED if f not in fields and not (f == "union" and roster.default_union)]
        if missing:
            raise SpreadsheetError(
                _(
                    "No column was recognised as %(columns)s (header row %(row)s of sheet “%(sheet)s”). Choose "
                    "the column for it below and check again, or download the template to see the columns."
                )
                % {
                    "columns": "、".join(COLUMNS[field][0] for field in missing),
                    "row": layout.table.header_row,
                    "sheet": layout.table.sheet_name,
                }
            )
        duplicated = sorted({f for f in fields if f and not f.startswith("_") and fields.count(f) > 1})
        if duplicated:
            raise SpreadsheetError(
                _("More than one column holds %(columns)s: choose one and ignore the others, then check again.")
                % {"columns": "、".join(COLUMNS[field][0] for field in duplicated)}
            )
        checker = RowCheck(fields=fields, headers=layout.headers, today=today, default_union=roster.default_union)
        report = _Reporter(progress, layout.last_row_estimate, _("checking rows"))
        total = blank = pending = 0
        roster_id = roster.pk
        for number, values in layout.rows:
            if row_is_blank(values):
                pending += 1  # counted only when a filled row follows (formatted rows below a table are not)
                continue
            blank, pending = blank + pending, 0
            note = checker.skip_note(values)
            if note:
                stager.add(_staging_row(roster_id, number, _SKIPPED, [["", str(note)]], RowAction.SKIP))
            else:
                out, errors = checker.check(values)
                stager.add(_staging_row(roster_id, number, out, errors))
            total += 1
            if total % BATCH == 0:
                stager.flush()
            if progress and total % report.every == 0:
                report(number)
        stager.finish()
        if not RosterRow.objects.filter(roster=roster).exclude(action=RowAction.SKIP).exists():
            raise SpreadsheetError(
                _("Sheet “%(sheet)s” has a header row (row %(row)s) but no member rows under it.")
                % {"sheet": layout.table.sheet_name, "row": layout.table.header_row}
            )
    except SpreadsheetError as exc:
        stager.close()
        RosterRow.objects.filter(roster=roster).delete()
        described = layout.describe() if layout else exc.describe() if isinstance(exc, NoHeader) else {}
        RosterImport.objects.filter(pk=roster.pk).update(layout=described)
        _finish(roster, status=ImportStatus.FAILED, error=str(exc))
        return roster
    finally:
        stager.close()
        roster.file.close()
    _mark_duplicates(roster)
    counts = roster_counts(roster)
    described = layout.describe() | {"blank_rows": blank}
    RosterImport.objects.filter(pk=roster.pk).update(
        status=ImportStatus.PREVIEWED,
        unknown_columns=[layout.headers[i] for i in layout.unmapped],
        layout=described,
        **counts,
    )
    if progress:
        progress(total, total)
    roster.refresh_from_db()
    return roster


class _Reporter:
    """Reports rows done at least every second or every 2% of ``total`` (the sheet's last row number, when the
    file says it; else the count alone), so that a progress bar moves however long the file."""

    def __init__(self, progress, total: int, stage: str):
        self.progress, self.total, self.stage = progress, total or None, stage
        self.step = max(self.total // 50, 1) if self.total else 0
        self.next = self.step
        self.every = max(1, min(256, self.step // 4 if self.step else 256))  # rows between looks at the clock
        self.last = time.monotonic()

    def __call__(self, done: int) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if now - self.last >= 1.0 or (self.step and done >= self.next):
            self.progress(min(done, self.total) if self.total else done, self.total, stage=self.stage)
            self.last = now
            if self.step:
                self.next = done + self.step


def _finish(roster: RosterImport, *, status: str, error: str = "") -> None:
    RosterImport.objects.filter(pk=roster.pk).update(status=status, error=error, finished_at=timezone.now())
    roster.refresh_from_db()


def _mark_duplicates(roster: RosterImport) -> None:
    """An ID number on more than one row of the file is an error on every such row (set-based; only those
    rows are written)."""
    staged = RosterRow.objects.filter(roster=roster)
    # Fetched first: a subquery on a table just filled (no statistics yet) can get a nested-loop plan.
    twice = list(
        staged.exclude(resident_id="")
        .order_by()
        .values("resident_id")
        .annotate(n=Count("id"))
        .exclude(action=RowAction.SKIP)
        .filter(n__gt=1)
        .values_list("resident_id", flat=True)
    )
    changed = []
    for start in range(0, len(twice), 5000):
        rows: dict[str, list] = {}
        for pk, rid, number in (
            staged.filter(resident_id__in=twice[start : start + 5000])
            .exclude(action=RowAction.SKIP)
            .values_list("pk", "resident_id", "row_number")
        ):
            rows.setdefault(rid, []).append((number, pk))
        for same in rows.values():
            for number, pk in same:
                others = "、".join(str(n) for n, _pk in sorted(same) if n != number)
                changed.append(RosterRow(pk=pk, duplicate=True, duplicate_rows=others[:200], action=RowAction.ERROR))
    RosterRow.objects.bulk_update(changed, ["duplicate", "duplicate_rows", "action"], batch_size=2000)


def _recheck(roster: RosterImport, user, *, registered: bool = True) -> None:
    """Classify the staged rows again against the register as it is now, writing only the rows whose
    classification changed: someone registered, changed or removed since the preview, a union deleted or
    moved out of the user's reach. ``registered=False`` leaves out the look for people registered since (one
    index probe of the register per row to create): the confirm lets the insert find them instead, as it must
    for anyone registered after this check anyway (``roster_apply._write``)."""
    staged = RosterRow.objects.filter(roster=roster)
    reachable = scope_queryset(UnionOrganization.objects.all(), user)
    for union_id in staged.exclude(union_id=None).order_by().values_list("union_id", flat=True).distinct():
        union = reachable.filter(pk=union_id, kind__in=JOINABLE_KINDS).values_list("region_id", flat=True).first()
        if union is None or len(union) < 6:
            staged.filter(union_id=union_id).update(union_problem="scope", action=RowAction.ERROR)
    table, member = RosterRow._meta.db_table, Member._meta.db_table
    same = (
        "m.name = t.name AND (t.mobile IS NULL OR m.mobile = t.mobile) "
        "AND (t.employer IS NULL OR m.employer = t.employer) "
        "AND (t.occupation IS NULL OR m.occupation = t.occupation) "
        "AND (t.join_date IS NULL OR m.join_date = t.join_date) AND (t.status IS NULL OR m.status = t.status)"
    )
    action = f"CASE WHEN m.union_id <> t.union_id THEN 'transfer' WHEN {same} THEN 'unchanged' ELSE 'update' END"
    with connection.cursor() as cursor:
        if registered:  # registered since the preview (index probes on the creates only)
            cursor.execute(
                f"UPDATE {table} AS t SET member_id = m.id FROM {member} AS m "
                f"WHERE m.resident_id = t.resident_id AND t.roster_id = %s AND t.action = 'create'",
                [roster.pk],
            )
        # Removed since the preview.
        cursor.execute(
            f"UPDATE {table} AS t SET member_id = NULL, action = 'create' WHERE t.roster_id = %s "
            f"AND t.action <> 'error' AND t.member_id IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {member} m WHERE m.id = t.member_id)",
            [roster.pk],
        )
        # Changed since the preview: one join, writing only the rows whose action differs.
        cursor.execute(
            f"UPDATE {table} AS t SET action = {action} FROM {member} AS m "
            f"WHERE m.id = t.member_id AND t.roster_id = %s AND t.action <> 'error' AND t.action <> {action}",
            [roster.pk],
        )


def roster_counts(roster: RosterImport) -> dict[str, int]:
    """Rows by action, as the RosterImport count fields."""
    by_action = dict(RosterRow.objects.filter(roster=roster).order_by().values_list("action").annotate(n=Count("id")))
    return {
        "rows": sum(by_action.values()),
        "created": by_action.get(RowAction.CREATE, 0),
        "updated": by_action.get(RowAction.UPDATE, 0),
        "unchanged": by_action.get(RowAction.UNCHANGED, 0),
        "transfers": by_action.get(RowAction.TRANSFER, 0),
        "errors": by_action.get(RowAction.ERROR, 0),
        "skipped": by_action.get(RowAction.SKIP, 0),
    }
