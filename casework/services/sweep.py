"""The scheduled sweep: escalate overdue requests one union up, and remind about requests due soon.

Set-based: whatever the number of open requests, the sweep costs the same handful of statements - one to
find which (level, county) pairs are overdue (for the new levels' due dates, which depend on the county's
calendar), one query for those calendars' overrides, one ``INSERT … SELECT`` writing every timeline step,
one ``UPDATE … FROM`` moving every request (hand-written SQL: the ORM's update cannot join, and per-row
subqueries cost a third of the sweep at 100,000 requests), and the same two for the due-soon reminders.
The steps are written before the move, from the same condition, inside one transaction; the move changes
``level_due_on`` so a request is escalated once per passed limit. django-simple-history does not see
set-based updates: the timeline's steps are the audit trail of escalations."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Substr
from django.utils import timezone

from casework.choices import OPEN_STATUSES, EventKind
from casework.models import RequestEvent, UnionHandler, WorkerRequest
from casework.selectors.clock import escalation_days_for, work_calendars
from casework.services.notices import notify_on_commit
from unionhub.models import UnionOrganization

log = logging.getLogger(__name__)


def _insert_events(source: QuerySet, kind: str, now: dt.datetime, *, with_unions: bool) -> int:
    """One ``INSERT INTO casework_requestevent … SELECT … RETURNING id`` from the matching requests; the
    new steps' notices go out after commit. The ids come back with the same statement, so the query count
    stays constant."""
    columns = ["request_id", "kind", "at", "note"]
    annotations = {
        "_kind": Value(kind),
        "_at": Value(now, output_field=RequestEvent._meta.get_field("at")),
        "_note": Value(""),
    }
    fields = ["pk", "_kind", "_at", "_note"]
    if with_unions:
        columns += ["from_union_id", "to_union_id"]
        annotations |= {"_from": F("holder_id"), "_to": F("holder__parent_id")}
        fields += ["_from", "_to"]
    select = source.order_by().annotate(**annotations).values_list(*fields)
    sql, params = select.query.sql_with_params()
    table = connection.ops.quote_name(RequestEvent._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    returning = connection.features.can_return_rows_from_bulk_insert
    suffix = f" RETURNING {connection.ops.quote_name(RequestEvent._meta.pk.column)}" if returning else ""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({quoted}) {sql}{suffix}", params)
        if not returning:
            return cursor.rowcount
        ids = [row[0] for row in cursor.fetchall()]
    notify_on_commit(ids)
    return len(ids)


def overdue_requests(today: dt.date) -> QuerySet:
    """Open requests whose current limit has passed and whose union has a higher union to escalate to."""
    # ``holder_id IN (unions with a parent)`` rather than ``holder__parent__isnull``: a condition on the
    # table's own column keeps the UPDATE a plain ``UPDATE … WHERE`` over the sweep index; a join would make
    # Django wrap it in ``id IN (SELECT …)``, a scan of every request (PostgreSQL: 0.2 s at 100,000).
    with_parent = UnionOrganization.objects.filter(parent__isnull=False).values("pk")
    return WorkerRequest.objects.filter(status__in=OPEN_STATUSES, level_due_on__lt=today, holder_id__in=with_parent)


def _overdue_pairs(overdue: QuerySet) -> set[tuple[int, str]]:
    """The (current level, county) pairs among the overdue requests: one small DISTINCT query."""
    return set(
        overdue.order_by()
        .annotate(county=Substr("region_id", 1, 6))
        .values_list("escalation_level", "county")
        .distinct()
    )


def _level_dates_sql(pairs: set[tuple[int, str]], today: dt.date, table: str) -> tuple[str, str, str, list]:
    """CASE expressions (SQL, params) for the new ``level_due_on``, ``due_soon_on`` and ``due_provisional`` per
    (level, county): the dates depend on each county's working-day calendar, so they are computed here, once
    per pair (provisional: counted across a year whose calendar is not loaded)."""
    calendars = work_calendars({county for _level, county in pairs})
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    county, level = f"substr({table}.{quote('region_id')}, 1, 6)", f"{table}.{quote('escalation_level')}"
    when = f"WHEN {county} = %s AND {level} = %s THEN %s"
    due_params, soon_params, provisional_params = [], [], []
    for pair_level, pair_county in sorted(pairs):
        days = escalation_days_for(pair_level + 1)
        calendar = calendars[pair_county]
        due_on = calendar.add_working_days(today, days)
        due_params += [pair_county, pair_level, adapt(due_on)]
        soon_params += [pair_county, pair_level, adapt(calendar.due_soon(today, days))]
        provisional_params += [pair_county, pair_level, calendar.provisional(today, due_on)]
    whens = " ".join([when] * len(pairs))
    due = f"CASE {whens} ELSE {table}.{quote('level_due_on')} END"
    soon = f"CASE {whens} ELSE {table}.{quote('due_soon_on')} END"
    provisional = f"({table}.{quote('due_provisional')} OR CASE {whens} ELSE %s END)"
    return due, soon, provisional, due_params + soon_params + provisional_params + [False]


def _move_up_sql(pairs: set[tuple[int, str]], today: dt.date) -> tuple[str, list]:
    """One ``UPDATE … FROM``: each overdue request moves to its holder's parent union and that union's default
    handler, joined once (a hash join) rather than looked up per row by correlated subqueries; the same
    condition as ``overdue_requests``. PostgreSQL and SQLite (3.33+) both run ``UPDATE … FROM``."""
    quote = connection.ops.quote_name
    table = quote(WorkerRequest._meta.db_table)
    unions = quote(UnionOrganization._meta.db_table)
    handlers = quote(UnionHandler._meta.db_table)
    due, soon, provisional, case_params = _level_dates_sql(pairs, today, table)
    statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    sql = (
        f"UPDATE {table} SET {quote('holder_id')} = up.{quote('parent_id')}, "
        f"{quote('handler_id')} = h.{quote('user_id')}, "
        f"{quote('escalation_level')} = {table}.{quote('escalation_level')} + 1, "
        f"{quote('level_due_on')} = {due}, {quote('due_soon_on')} = {soon}, "
        f"{quote('due_provisional')} = {provisional}, {quote('due_soon_notified')} = %s "
        f"FROM {unions} up LEFT JOIN {handlers} h ON h.{quote('union_id')} = up.{quote('parent_id')} "
        f"AND h.{quote('is_default')} = %s "
        f"WHERE up.{quote('id')} = {table}.{quote('holder_id')} AND up.{quote('parent_id')} IS NOT NULL "
        f"AND {table}.{quote('status')} IN ({statuses}) AND {table}.{quote('level_due_on')} < %s"
    )
    return sql, [*case_params, False, True, *OPEN_STATUSES, connection.ops.adapt_datefield_value(today)]


@transaction.atomic
def requests_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate every overdue open request to its holder's parent union; returns how many moved."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = overdue_requests(today)
    pairs = _overdue_pairs(overdue)
    if not pairs:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # These statements are cheap per row but cost enough in total for PostgreSQL to compile them (JIT),
            # which takes longer than it saves here.
            cursor.execute("SET LOCAL jit = off")
    written = _insert_events(overdue, EventKind.ESCALATED, now, with_unions=True)
    # Every SET expression reads the row as it was before the UPDATE, so the handler is the new holder's.
    sql, params = _move_up_sql(pairs, today)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        moved = cursor.rowcount
    if moved != written:
        log.warning("escalation sweep wrote %s steps for %s requests", written, moved)
    return moved


def due_soon_requests(today: dt.date) -> QuerySet:
    return WorkerRequest.objects.filter(
        status__in=OPEN_STATUSES, due_soon_on__lte=today, level_due_on__gte=today, due_soon_notified=False
    )


@transaction.atomic
def requests_remind_due_soon(*, now: dt.datetime | None = None) -> int:
    """A "due soon" step for every open request that has reached 80% of its current limit, once per limit."""
    now = now or timezone.now()
    source = due_soon_requests(timezone.localdate(now))
    _insert_events(source, EventKind.DUE_SOON, now, with_unions=False)
    return source.update(due_soon_notified=True)


def casework_sweep(*, now: dt.datetime | None = None) -> dict:
    """The beat task's body: escalate, then remind (a request just escalated starts a fresh limit)."""
    now = now or timezone.now()
    escalated = requests_escalate_overdue(now=now)
    reminded = requests_remind_due_soon(now=now)
    if escalated or reminded:
        log.info("casework sweep: %s escalated, %s due soon", escalated, reminded)
    return {"escalated": escalated, "due_soon": reminded}
