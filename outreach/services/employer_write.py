"""Writing a checked employer list (the import job's work), set-based, in one transaction: the staging rows
matched again to the register and the unions as they are now (one statement each), then per slice of
the rows ``UPDATE … FROM`` for the changed employers and ``INSERT … SELECT`` for the new ones, and the history
rows in one ``INSERT … SELECT`` attributed to the importer. Unchanged rows are not touched: the same file
imported again writes nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.models.roster import ImportMode, ImportStatus
from outreach.choices import Stage
from outreach.models import Employer, EmployerImport, EmployerImportRow
from outreach.models.imports import RowAction
from outreach.services.employer_check import EARLY_STAGES, employer_rows_match
from unionhub.models.regions import Region

SLICES = 50  # the progress moves at least every 2 %


def _sql(batch: EmployerImport, now) -> tuple[str, str]:
    staged, employers = EmployerImportRow._meta.db_table, Employer._meta.db_table
    early = ", ".join(f"'{stage}'" for stage in EARLY_STAGES)
    founds = f"s.union_id IS NOT NULL AND {employers}.stage IN ({early})"
    update = (
        f"UPDATE {employers} SET name = s.name, town_id = s.town_id, industry = s.industry, workers = s.workers, "
        f"is_platform = s.is_platform, union_id = COALESCE(s.union_id, {employers}.union_id), "
        f"stage = CASE WHEN {founds} THEN '{Stage.FOUNDED}' ELSE {employers}.stage END, "
        f"stage_changed_at = CASE WHEN {founds} THEN %s ELSE {employers}.stage_changed_at END "
        f"FROM {staged} s WHERE s.batch_id = %s AND s.action = '{RowAction.UPDATE}' "
        f"AND s.row_number BETWEEN %s AND %s AND {employers}.id = s.employer_id AND {employers}.town_id LIKE %s"
    )
    insert = (
        f"INSERT INTO {employers} (credit_code, name, town_id, industry, workers, is_platform, union_id, stage, "
        f"stage_changed_at) SELECT s.credit_code, s.name, s.town_id, s.industry, s.workers, s.is_platform, "
        f"s.union_id, CASE WHEN s.union_id IS NULL THEN '{Stage.NOT_CONTACTED}' ELSE '{Stage.FOUNDED}' END, %s "
        f"FROM {staged} s WHERE s.batch_id = %s AND s.action = '{RowAction.CREATE}' AND s.row_number BETWEEN %s AND %s"
    )
    return update, insert


def _history(cursor, batch: EmployerImport, by, now) -> None:
    history = Employer.history.model._meta.db_table
    staged, employers = EmployerImportRow._meta.db_table, Employer._meta.db_table
    columns = "id, credit_code, name, town_id, industry, workers, is_platform, union_id, stage, stage_changed_at"
    selected = ", ".join(f"e.{c.strip()}" for c in columns.split(","))
    cursor.execute(
        f"INSERT INTO {history} ({columns}, history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT {selected}, %s, %s, CASE WHEN s.action = '{RowAction.CREATE}' THEN '+' ELSE '~' END, %s "
        f"FROM {staged} s JOIN {employers} e ON e.credit_code = s.credit_code "
        f"WHERE s.batch_id = %s AND s.action IN ('{RowAction.CREATE}', '{RowAction.UPDATE}')",
        [now, (_("employer list import #%(n)s") % {"n": batch.pk})[:100], by.pk if by else None, batch.pk],
    )


def employer_list_write(*, batch: EmployerImport, by=None, progress: Callable | None = None) -> EmployerImport:
    """Write ``batch`` (checked, confirmed) into the register: all or nothing by default - with rows in error
    and that mode, nothing is written and the import ends refused; "valid rows only" writes the rest."""
    progress = progress or (lambda *args, **kwargs: None)
    with transaction.atomic():
        # One import of a county at a time: two lists naming one new employer cannot both create it.
        list(Region.objects.select_for_update().filter(pk=batch.county_id).values_list("pk", flat=True))
        batch = EmployerImport.objects.select_for_update().get(pk=batch.pk)
        if batch.errors and batch.mode == ImportMode.ALL_OR_NOTHING:
            EmployerImport.objects.filter(pk=batch.pk).update(status=ImportStatus.REFUSED, finished_at=timezone.now())
            batch.refresh_from_db()
            return batch
        stage = _("writing the employers")
        progress(0, 100, stage)
        employer_rows_match(batch=batch)  # the register as it is now, not as it was at the check
        rows = EmployerImportRow.objects.filter(batch=batch)
        # The rows to write, in slices of equal count: the same file again has none, and writes nothing.
        numbers = list(
            rows.filter(action__in=(RowAction.CREATE, RowAction.UPDATE)).order_by("row_number")
            .values_list("row_number", flat=True)
        )  # fmt: skip
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now)
        update, insert = _sql(batch, now)
        width = max((len(numbers) + SLICES - 1) // SLICES, 1)
        with connection.cursor() as cursor:
            for index in range(SLICES):
                chunk = numbers[index * width : (index + 1) * width]
                if chunk:
                    cursor.execute(update, [stamp, batch.pk, chunk[0], chunk[-1], f"{batch.county_id}%"])
                    cursor.execute(insert, [stamp, batch.pk, chunk[0], chunk[-1]])
                progress((index + 1) * 100 // SLICES, 100, stage)
            if numbers:
                _history(cursor, batch, by, stamp)
        counts = {
            action: rows.filter(action=action).count()
            for action in (RowAction.CREATE, RowAction.UPDATE, RowAction.UNCHANGED)
        }
        EmployerImport.objects.filter(pk=batch.pk).update(
            status=ImportStatus.DONE,
            created=counts[RowAction.CREATE],
            updated=counts[RowAction.UPDATE],
            unchanged=counts[RowAction.UNCHANGED],
            written=counts[RowAction.CREATE] + counts[RowAction.UPDATE],
            finished_at=timezone.now(),
            error="",
        )
        progress(100, 100, stage)
    batch.refresh_from_db()
    return batch
