"""Writing a checked roster to the member register: one transaction, set-based, card numbers gap-free."""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.choices import MemberSource, MemberStatus
from membership.models import CardCounter, Member
from membership.models.roster import ImportMode, ImportStatus, RosterImport, RosterRow, RowAction
from membership.services.roster_check import _recheck, roster_counts
from membership.services.roster_rows import (
    DEFAULT_OCCUPATION,
)
from membership.services.roster_transfers import roster_transfer_requests_send

# --- Import: apply -----------------------------------------------------------------------------------------


def _pad6(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"lpad(CAST({expression} AS text), 6, '0')"
    return f"substr('000000' || ({expression}), -6, 6)"


def _reserve_card_numbers(county: str, year: int, count: int) -> int:
    """Take ``count`` card numbers of a county and year; return the sequence number before the first.

    The same row lock as ``services.card_number_next``: ``UPDATE … SET last = last + n`` holds the counter
    row until this transaction ends, so numbers stay unique and gap-free (a rollback returns them)."""
    counter = CardCounter.objects.filter(county_id=county, year=year)
    if not counter.update(last=F("last") + count):
        CardCounter.objects.bulk_create([CardCounter(county_id=county, year=year, last=0)], ignore_conflicts=True)
        counter.update(last=F("last") + count)
    last = counter.values_list("last", flat=True).get()
    if last > 999_999:
        raise ValidationError(
            _("County %(county)s has used up its card numbers for %(year)s.") % {"county": county, "year": year}
        )
    return last - count


def _history_columns(
    roster: RosterImport, by, kind: str, now, source: str, staged: str | None = None
) -> tuple[list[str], list[str], list]:
    """(history columns, the expressions filling them from the member rows aliased ``source``, parameters).
    ``staged``: the alias of the member's staging row, whose name as read (before its middle dots were made
    one) is kept in the reason."""
    history = Member.history.model
    member_columns = {f.column for f in Member._meta.concrete_fields}
    columns, select, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.column == "history_id":
            continue
        columns.append(field.column)
        if field.column in member_columns:
            select.append(f"{source}.{field.column}")
        elif field.column == "history_date":
            select.append("%s")
            params.append(now)
        elif field.column == "history_change_reason":
            if staged:
                select.append(
                    f"%s || CASE WHEN {staged}.name_as_read <> '' THEN %s || {staged}.name_as_read ELSE '' END"
                )
                params.extend([f"roster import #{roster.pk}", "; name as read: "])
            else:
                select.append("%s")
                params.append(f"roster import #{roster.pk}")
        elif field.column == "history_type":
            select.append("%s")
            params.append(kind)
        elif field.column == "history_user_id":
            select.append("%s")
            params.append(by.pk if by is not None else None)
        else:
            raise RuntimeError(f"unexpected history column {field.column}")
    return columns, select, params


def _history_insert(cursor, roster: RosterImport, by, action: str, kind: str, now) -> None:
    """History rows for the members the import created (SQLite) or changed, set-based."""
    # New members are found by their ID number (their staging rows have no member id).
    join = "s.resident_id = m.resident_id" if action == RowAction.CREATE else "s.member_id = m.id"
    columns, select, params = _history_columns(roster, by, kind, now, source="m", staged="s")
    cursor.execute(
        f"INSERT INTO {Member.history.model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(select)} FROM {Member._meta.db_table} m "
        f"JOIN {RosterRow._meta.db_table} s ON {join} WHERE s.roster_id = %s AND s.action = %s",
        [*params, roster.pk, action],
    )


def _groups(roster: RosterImport, action: str) -> list[tuple[str, int, int]]:
    """(county, card year, rows) of the staged rows of ``action``, in code and year order."""
    return sorted(
        RosterRow.objects.filter(roster=roster, action=action)
        .order_by()
        .values_list("county", "card_year")
        .annotate(n=Count("id"))
    )


def _slices(roster: RosterImport, action: str, county: str, year: int):
    """(rows before it in the group, first row number, last row number, rows) of each slice of one group: 2%
    of the import, at least 200 rows, so that the progress moves while they are written. The staging index
    ``rosterrow_slice`` (roster, action, county, card year, row number) reads exactly a slice's rows."""
    numbers = list(
        RosterRow.objects.filter(roster=roster, action=action, county=county, card_year=year)
        .order_by("row_number")
        .values_list("row_number", flat=True)
    )
    step = max(roster.rows // 50, 200)
    for start in range(0, len(numbers), step):
        part = numbers[start : start + step]
        yield start, part[0], part[-1], len(part)


def _insert_creates(cursor, roster: RosterImport, by, today: dt.date, now, progress=None) -> int:
    """Insert the new members; the rows inserted. A person registered meanwhile by an online approval (after
    the last check against the register) makes the insert fail on the unique ID number: the caller rolls back
    to before the card numbers were taken, classifies the rows again and retries, so that numbers stay
    gap-free and no raw IntegrityError reaches anyone. (A plain insert, not ``ON CONFLICT DO NOTHING``: the
    conflict is rare, since imports into a county serialise and check the register under that lock, and a
    speculative insertion costs on every row.)

    On PostgreSQL the same statement writes their history rows from the inserted rows (``WITH created AS
    (INSERT … RETURNING *)``), instead of finding each new member again by its ID number; elsewhere
    ``_history_insert`` does."""
    table, member = RosterRow._meta.db_table, Member._meta.db_table
    with_history, history_params = connection.vendor == "postgresql", []
    if with_history:
        # A name whose dots were made one keeps the text as read in its history's reason (a join only then).
        renamed = RosterRow.objects.filter(roster=roster, action=RowAction.CREATE).exclude(name_as_read="").exists()
        columns, select, history_params = _history_columns(
            roster, by, "+", now, source="created", staged="s" if renamed else None
        )
        history = (
            f"INSERT INTO {Member.history.model._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {', '.join(select)} FROM created"
        )
        if renamed:
            history += f" JOIN {table} s ON s.roster_id = %s AND s.resident_id = created.resident_id"
            history_params = [*history_params, roster.pk]
    card = f"%s || {_pad6('%s + ROW_NUMBER() OVER (ORDER BY s.row_number)')}"
    insert = f"""
        INSERT INTO {member} (name, resident_id, gender, birth_date, mobile, employer, occupation, union_id,
                              county, join_date, card_number, status, source, created_at)
        SELECT s.name, s.resident_id, s.gender, s.birth_date, COALESCE(s.mobile, ''),
               COALESCE(s.employer, ''), COALESCE(s.occupation, %s), s.union_id, s.county,
               COALESCE(s.join_date, %s), {card}, COALESCE(s.status, %s), %s, %s
        FROM {table} s
        WHERE s.roster_id = %s AND s.action = 'create' AND s.county = %s AND s.card_year = %s
          AND s.row_number BETWEEN %s AND %s
        ORDER BY s.row_number
        """
    statement = f"WITH created AS ({insert} RETURNING *) {history}" if with_history else insert
    created = 0
    for county, year, count in _groups(roster, RowAction.CREATE):
        base = _reserve_card_numbers(county, year, count)
        for start, first, last, size in _slices(roster, RowAction.CREATE, county, year):
            params = [
                DEFAULT_OCCUPATION,
                today,
                f"{county}{year}",
                base + start,
                MemberStatus.ACTIVE,
                MemberSource.IMPORT,
                now,
                roster.pk,
                county,
                year,
                first,
                last,
            ]
            cursor.execute(statement, [*params, *history_params])
            created += size
            if progress:
                progress(created, stage=_("writing members"))
    return created


def _apply_updates(cursor, roster: RosterImport, progress=None, done: int = 0) -> None:
    """Update the changed members, a slice of rows at a time (see ``_slices``) so that the progress moves."""
    table, member = RosterRow._meta.db_table, Member._meta.db_table
    for county, year, _count in _groups(roster, RowAction.UPDATE):
        for _start, first, last, size in _slices(roster, RowAction.UPDATE, county, year):
            cursor.execute(
                f"""
                UPDATE {member} AS m SET
                  name = s.name,
                  mobile = COALESCE(s.mobile, m.mobile),
                  employer = COALESCE(s.employer, m.employer),
                  occupation = COALESCE(s.occupation, m.occupation),
                  join_date = COALESCE(s.join_date, m.join_date),
                  status = COALESCE(s.status, m.status)
                FROM {table} s
                WHERE s.member_id = m.id AND s.roster_id = %s AND s.action = 'update'
                  AND s.county = %s AND s.card_year = %s AND s.row_number BETWEEN %s AND %s
                """,
                [roster.pk, county, year, first, last],
            )
            done += size
            if progress:
                progress(done, stage=_("writing members"))


def _refresh_statistics(created: int) -> None:
    """After an import that grew the register by a tenth or more (a county's first roster), ANALYZE the
    member table at once instead of waiting for autovacuum. With statistics that still say "empty", the next
    import's joins on the register (classifying its rows, checking them again at confirm) are planned as a
    sequential scan of the member table per row: hours instead of seconds. Run after the commit, in its own
    statement; a no-op on SQLite."""
    if connection.vendor != "postgresql" or created < 1000:
        return
    table = Member._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        estimate = cursor.fetchone()[0]
        if estimate < 0 or created * 10 >= estimate:
            # The columns the import's joins and the register's default order read (sampling 30,000 rows; the
            # name's finer statistics, 300,000 rows, are left to autovacuum). The table's row count is
            # refreshed whatever the columns.
            cursor.execute(f"ANALYZE {table} (id, resident_id, union_id, join_date, status)")


ADVISORY_LOCK_CLASS = 0x524F5354  # "ROST": the first key of the per-county roster lock
ATTEMPTS = 5


def _lock_counties(roster: RosterImport) -> None:
    """Imports into the same county serialise here (PostgreSQL ``pg_advisory_xact_lock``, released at
    commit), in code order so that two imports never wait for each other in a cycle. SQLite serialises every
    writer already (IMMEDIATE transactions)."""
    if connection.vendor != "postgresql":
        return
    counties = sorted(
        set(
            RosterRow.objects.filter(roster=roster)
            .exclude(county="")
            .order_by()
            .values_list("county", flat=True)
            .distinct()
        )
    )
    with connection.cursor() as cursor:
        for county in counties:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, int(county)])


def _registered_meanwhile(roster: RosterImport) -> bool:
    """Whether a row about to be created names a person the register holds now."""
    registered = Member.objects.filter(resident_id=OuterRef("resident_id"))
    return RosterRow.objects.filter(roster=roster, action=RowAction.CREATE).filter(Exists(registered)).exists()


def _write(locked: RosterImport, by, now, progress) -> None:
    """Insert the creates (retrying after someone registered one of them meanwhile), then the updates and
    the history rows."""
    today = timezone.localtime(locked.created_at).date()
    with connection.cursor() as cursor:
        for _attempt in range(ATTEMPTS):
            if progress:
                progress(0, locked.rows, stage=_("writing members"))
            point = transaction.savepoint()
            try:
                created = _insert_creates(cursor, locked, by, today, now, progress)
            except IntegrityError:
                transaction.savepoint_rollback(point)
                if not _registered_meanwhile(locked):
                    raise
                _recheck(locked, by)
                continue
            transaction.savepoint_commit(point)
            break
        else:
            raise ValidationError(
                _("Other work kept registering the same people while this import ran; confirm it again.")
            )
        if progress:
            progress(created, locked.rows, stage=_("writing history"))
        if connection.vendor != "postgresql":  # on PostgreSQL, written with the members
            _history_insert(cursor, locked, by, RowAction.CREATE, "+", now)
        _apply_updates(cursor, locked, progress, created)
        _history_insert(cursor, locked, by, RowAction.UPDATE, "~", now)


def roster_apply(
    *, roster: RosterImport, by=None, mode: str | None = None, progress: Callable[..., None] | None = None
) -> RosterImport:
    """Write the checked roster to the member register, in one transaction.

    The staging rows are classified again against the register as it is now (another import or an
    approval may have registered someone since the preview), under a lock per county. All or nothing: any
    row with an error and nothing is written (the import is ``refused``). Valid rows only: the valid rows
    are written and the rest stay in the error workbook. Transfer candidates, unchanged and skipped rows are
    never written. Safe to call twice: the import row is locked and only a checked, not yet applied import
    is written. Refused while a column of the file is neither mapped nor ignored."""
    by = by or roster.created_by
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster.pk)
        if locked.status not in (ImportStatus.PREVIEWED, ImportStatus.IMPORTING):
            roster.refresh_from_db()
            return roster
        if locked.unknown_columns:
            raise ValidationError(unmapped_message(locked))
        if mode:
            locked.mode = mode
        if RosterRow.objects.filter(roster=locked).count() != locked.rows:
            # The staging table is unlogged on PostgreSQL: a database crash empties it. Never write part of it.
            RosterImport.objects.filter(pk=locked.pk).update(
                status=ImportStatus.FAILED,
                finished_at=timezone.now(),
                error=_("The checked rows are no longer available; upload the file again."),
            )
            roster.refresh_from_db()
            return roster
        if progress:
            progress(0, locked.rows, stage=_("checking against the register"))
        _lock_counties(locked)
        # People registered since the preview are found by the insert (its unique ID number), then classified.
        _recheck(locked, by, registered=False)
        counts = roster_counts(locked)
        now = timezone.now()
        if counts["errors"] and locked.mode == ImportMode.ALL_OR_NOTHING:
            RosterImport.objects.filter(pk=locked.pk).update(
                mode=locked.mode, status=ImportStatus.REFUSED, finished_at=now, written=False, **counts
            )
        else:
            _write(locked, by, now, progress)
            roster_transfer_requests_send(roster=locked, by=by)
            counts = roster_counts(locked)
            RosterImport.objects.filter(pk=locked.pk).update(
                mode=locked.mode,
                status=ImportStatus.DONE,
                finished_at=now,
                error="",
                written=bool(counts["created"] or counts["updated"]),
                **counts,
            )
    roster.refresh_from_db()
    if roster.status == ImportStatus.DONE:
        _refresh_statistics(roster.created)
    return roster


def unmapped_message(roster: RosterImport) -> str:
    return _(
        "Nothing can be written while some columns are neither mapped nor ignored: %(columns)s. Choose a field "
        "or “do not import” for each of them and check again."
    ) % {"columns": "、".join(roster.unknown_columns)}
