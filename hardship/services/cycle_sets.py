"""A household programme's cycle written in the database in set-based statements (PostgreSQL and SQLite alike):
the eligible households and their amounts are one query (the programme's rule as a SQL expression, the same
rule as ``rules.amount_for``), compared with the cycle's entitlements in one read; then, only if something
differs, one DELETE of the households gone, one UPDATE of changed amounts and one INSERT … SELECT of the new
ones. Nothing passes through Python row by row, whatever the number of households; a second run reads once
and writes nothing."""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Least

from hardship.models import AmountRule, CostClaim, Cycle, Entitlement, Household, HouseholdStatus, Programme
from hardship.services.rules import ZERO

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _money(value) -> Value:
    return Value(value, output_field=MONEY)


def amount_expression(programme: Programme):
    """The programme's amount rule over a household row, capped when the programme has a cap."""
    if programme.rule == AmountRule.BY_LAYER:
        amount = Case(
            When(layer="deep", then=_money(programme.amount_deep)),
            When(layer="relative", then=_money(programme.amount_relative)),
            When(layer="accident", then=_money(programme.amount_accident)),
            default=_money(ZERO),
            output_field=MONEY,
        )
    elif programme.rule == AmountRule.BY_PEOPLE:
        amount = F("people_count") * _money(programme.amount)
    elif programme.rule == AmountRule.COSTS:
        costs = (
            CostClaim.objects.filter(programme=programme, household=OuterRef("pk"))
            .values("household")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        amount = Coalesce(Subquery(costs, output_field=MONEY), _money(ZERO), output_field=MONEY)
    else:
        amount = _money(programme.amount)
    if programme.cap is not None:
        amount = Least(amount, _money(programme.cap), output_field=MONEY)
    return amount


def eligible_query(cycle: Cycle, programme: Programme):
    """(hid, county, layer, amount) of every household the cycle pays: on file in the programme's county and
    layers by the period's end, not paid by an exclusive programme in an overlapping cycle, amount above 0."""
    households = Household.objects.filter(
        county=programme.county_id,
        status=HouseholdStatus.ON_FILE,
        layer__in=programme.layer_list,
        filed_on__lte=cycle.period_end,
    )
    exclusive = list(programme.exclusive_with.values_list("pk", flat=True))
    if exclusive:
        households = households.exclude(
            pk__in=Entitlement.objects.filter(
                cycle__programme_id__in=exclusive,
                cycle__period_start__lte=cycle.period_end,
                cycle__period_end__gte=cycle.period_start,
            ).values("household_id")
        )
    return (
        households.annotate(due=amount_expression(programme))
        .filter(due__gt=0)
        .order_by()
        .values_list("pk", "county", "layer", "due")
    )


_INSERT = (
    "INSERT INTO {table} (cycle_id, household_id, person_key, county, layer, amount, status, reason, "
    "receipt_signed_by) SELECT %s, e.hid, 0, e.county, e.layer, e.amount, 'proposed', '', '' FROM e"
)


def write_set_based(cycle: Cycle, programme: Programme) -> bool:
    """Bring the cycle's entitlements to the eligible set; whether anything was written. Runs inside the
    caller's transaction with the cycle's row locked."""
    sql, params = eligible_query(cycle, programme).query.sql_with_params()
    table = Entitlement._meta.db_table
    eligible = f"WITH e (hid, county, layer, amount) AS ({sql}) "
    mine = "x.cycle_id = %s AND x.reissue_of_id IS NULL AND x.person_key = 0"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Hash joins for these whole-set comparisons, whatever the statistics say: a table just filled and
            # not yet analysed can make the planner loop over 100,000 households once per entitlement.
            cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(f"SELECT 1 FROM {table} WHERE cycle_id = %s LIMIT 1", [cycle.pk])
        if cursor.fetchone() is None:  # the first computation: nothing to compare with, one INSERT … SELECT
            cursor.execute(eligible + _INSERT.format(table=table), [*params, cycle.pk])
            return cursor.rowcount > 0
        cursor.execute(
            eligible + f"SELECT (SELECT COUNT(*) FROM e WHERE NOT EXISTS (SELECT 1 FROM {table} x WHERE {mine} "
            f"AND x.household_id = e.hid)), "
            f"(SELECT COUNT(*) FROM {table} x WHERE {mine} "
            f"AND NOT EXISTS (SELECT 1 FROM e WHERE e.hid = x.household_id)), "
            f"(SELECT COUNT(*) FROM {table} x JOIN e ON e.hid = x.household_id WHERE {mine} AND x.amount <> e.amount)",
            [*params, cycle.pk, cycle.pk, cycle.pk],
        )
        new, gone, changed = cursor.fetchone()
        if gone:
            cursor.execute(
                eligible + f"DELETE FROM {table} WHERE id IN (SELECT x.id FROM {table} x WHERE {mine} "
                f"AND NOT EXISTS (SELECT 1 FROM e WHERE e.hid = x.household_id))",
                [*params, cycle.pk],
            )
        if changed:
            cursor.execute(
                eligible + f"UPDATE {table} SET amount = (SELECT e.amount FROM e WHERE e.hid = {table}.household_id) "
                f"WHERE id IN (SELECT x.id FROM {table} x JOIN e ON e.hid = x.household_id WHERE {mine} "
                f"AND x.amount <> e.amount)",
                [*params, cycle.pk],
            )
        if new:
            cursor.execute(
                eligible
                + _INSERT.format(table=table)
                + f" WHERE NOT EXISTS (SELECT 1 FROM {table} x WHERE {mine} AND x.household_id = e.hid)",
                [*params, cycle.pk, cycle.pk],
            )
    return bool(new or gone or changed)
