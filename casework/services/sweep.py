"""The scheduled sweep: escalate overdue requests one union up, and remind about requests due soon.

Set-based: whatever the number of open requests, the sweep costs the same handful of statements - one to
find which (level, county) pairs are overdue (for the new levels' due dates, which depend on the county's
calendar), one query for those calendars' overrides, one ``INSERT … SELECT`` writing every timeline step,
one ``UPDATE`` moving every request, and the same two for the due-soon reminders. The steps are written
before the move, from the same condition, inside one transaction; the move changes ``level_due_on`` so a
request is escalated once per passed limit. django-simple-history does not see set-based updates: the
timeline's steps are the audit trail of escalations."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.db.models import Case, DateField, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Substr
from django.db.models.lookups import Exact
from django.utils import timezone

from casework import conf
from casework.choices import OPEN_STATUSES, EventKind
from casework.models import RequestEvent, UnionHandler, WorkerRequest
from casework.selectors.clock import work_calendars
from casework.services.notifications import notify_on_commit
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


def _new_level_dates(overdue: QuerySet, today: dt.date) -> tuple[Case, Case]:
    """CASE expressions for the new ``level_due_on`` and ``due_soon_on``, per (current level, county)."""
    pairs = set(
        overdue.order_by()
        .annotate(county=Substr("region_id", 1, 6))
        .values_list("escalation_level", "county")
        .distinct()
    )
    calendars = work_calendars({county for _level, county in pairs})
    due, soon = [], []
    for level, county in sorted(pairs):
        days = conf.escalation_days_for(level + 1)
        calendar = calendars[county]
        # A plain column comparison: an UPDATE's SET expressions may not join.
        same_county = Exact(Substr("region_id", 1, 6), Value(county))
        due.append(When(same_county, escalation_level=level, then=Value(calendar.add_working_days(today, days))))
        soon.append(When(same_county, escalation_level=level, then=Value(calendar.due_soon(today, days))))
    return (
        Case(*due, default=F("level_due_on"), output_field=DateField()),
        Case(*soon, default=F("due_soon_on"), output_field=DateField()),
    )


@transaction.atomic
def requests_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate every overdue open request to its holder's parent union; returns how many moved."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = overdue_requests(today)
    level_due, due_soon = _new_level_dates(overdue, today)
    if not level_due.cases:
        return 0
    written = _insert_events(overdue, EventKind.ESCALATED, now, with_unions=True)
    # No ORDER BY in the per-row subqueries (the models' default ordering would sort once per request).
    parent = UnionOrganization.objects.filter(pk=OuterRef("holder_id")).order_by().values("parent_id")[:1]
    parent_handler = (
        UnionHandler.objects.filter(is_default=True, union__children=OuterRef("holder_id")).order_by().values("user_id")
    )[:1]
    # Every SET expression reads the row as it was before the UPDATE, so the handler is the new holder's.
    moved = overdue.update(
        holder_id=Subquery(parent),
        handler_id=Subquery(parent_handler),
        escalation_level=F("escalation_level") + 1,
        level_due_on=level_due,
        due_soon_on=due_soon,
        due_soon_notified=False,
    )
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
