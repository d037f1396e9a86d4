"""Programme cycles: computing the entitlements of every eligible household at once (a fixed number of
queries whatever the number of households; a household programme entirely in the database, ``cycle_sets``),
idempotent (a second run changes nothing; a household filed since is added, one that left is dropped while
the cycle is not approved), then the county's approval against the fund's balance."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hardship.models import (
    CostClaim,
    Cycle,
    CycleStatus,
    Entitlement,
    Household,
    HouseholdPerson,
    HouseholdStatus,
    PaymentStatus,
    Programme,
)
from hardship.services.cycle_sets import write_set_based
from hardship.services.funds import fund_spend
from hardship.services.rules import ZERO, HouseholdFacts, PersonFacts, amount_for, person_eligible
from unionhub.services.jobs import job_start

CYCLE_JOB = "hardship.cycle_compute"
BATCH = 2000


def cycle_create(*, programme: Programme, name: str, period_start, period_end) -> Cycle:
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if Cycle.objects.filter(programme=programme, period_start=period_start).exists():
        raise ValidationError({"period_start": _("This programme already has a cycle starting on this day.")})
    return Cycle.objects.create(programme=programme, name=name, period_start=period_start, period_end=period_end)


def _eligible_households(cycle: Cycle, programme: Programme) -> list[HouseholdFacts]:
    """Households on file in the programme's county and layers, filed by the period's end, not excluded by a
    programme they already receive in an overlapping cycle: two queries (households, costs)."""
    exclusive = list(programme.exclusive_with.values_list("pk", flat=True))
    households = Household.objects.filter(
        county=programme.county_id,
        status=HouseholdStatus.ON_FILE,
        layer__in=programme.layer_list,
        filed_on__lte=cycle.period_end,
    )
    if exclusive:
        households = households.exclude(
            pk__in=Entitlement.objects.filter(
                cycle__programme_id__in=exclusive,
                cycle__period_start__lte=cycle.period_end,
                cycle__period_end__gte=cycle.period_start,
            ).values("household_id")
        )
    costs = {}
    if programme.rule == "costs":
        costs = dict(
            CostClaim.objects.filter(programme=programme)
            .values("household_id")
            .annotate(total=Sum("amount"))
            .order_by()
            .values_list("household_id", "total")
        )
    rows = households.order_by("pk").values_list("pk", "county", "layer", "people_count")
    return [HouseholdFacts(pk, county, layer, people, costs.get(pk, ZERO)) for pk, county, layer, people in rows]


def cycle_drafts(cycle: Cycle) -> dict[tuple[int, int], tuple[Decimal, str, str]]:
    """(household, person or 0) -> (amount, county, layer) for everyone the cycle pays."""
    programme = cycle.programme
    facts = _eligible_households(cycle, programme)
    drafts = {}
    if not programme.per_person:
        for household in facts:
            amount = amount_for(programme, household)
            if amount > ZERO:
                drafts[(household.household_id, 0)] = (amount, household.county, household.layer)
        return drafts
    by_id = {household.household_id: household for household in facts}
    people = defaultdict(list)
    for pk, household_id, health, student, disabled in (
        HouseholdPerson.objects.filter(household__in=_households_query(cycle, programme).values("pk"))
        .order_by("pk")
        .values_list("pk", "household_id", "health", "is_student", "disabled")
    ):
        if household_id in by_id:
            people[household_id].append(PersonFacts(pk, health, student, disabled))
    for household_id, persons in people.items():
        household = by_id[household_id]
        amount = amount_for(programme, household)
        for person in persons:
            if person_eligible(programme.person_condition, person) and amount > ZERO:
                drafts[(household_id, person.person_id)] = (amount, household.county, household.layer)
    return drafts


def _households_query(cycle: Cycle, programme: Programme):
    return Household.objects.filter(
        county=programme.county_id,
        status=HouseholdStatus.ON_FILE,
        layer__in=programme.layer_list,
        filed_on__lte=cycle.period_end,
    )


def cycle_compute(*, cycle: Cycle, progress=None, per_household: bool = False) -> Cycle:
    """Compute (or recompute) a cycle's entitlements. Refused once approved. ``per_household``: the
    benchmark's peer, one household at a time."""
    cycle = Cycle.objects.select_related("programme").get(pk=cycle.pk)
    if cycle.is_locked:
        raise ValidationError(_("This cycle is approved: its entitlements can no longer change."))
    if not per_household and not cycle.programme.per_person:
        return _write_sets(cycle)
    drafts = _drafts_one_by_one(cycle) if per_household else cycle_drafts(cycle)
    if progress:
        progress(60, 100, _("writing %(n)s entitlements") % {"n": len(drafts)})
    return _write(cycle, drafts, per_household=per_household)


def _drafts_one_by_one(cycle: Cycle) -> dict:
    programme = cycle.programme
    drafts = {}
    for household in _households_query(cycle, programme).order_by("pk"):
        costs = CostClaim.objects.filter(household=household, programme=programme).aggregate(t=Sum("amount"))["t"]
        facts = HouseholdFacts(household.pk, household.county, household.layer, household.people_count, costs or ZERO)
        amount = amount_for(programme, facts)
        if amount > ZERO:
            drafts[(household.pk, 0)] = (amount, household.county, household.layer)
    return drafts


@transaction.atomic
def _write(cycle: Cycle, drafts: dict, *, per_household: bool = False) -> Cycle:
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.is_locked:
        raise ValidationError(_("This cycle is approved: its entitlements can no longer change."))
    existing = {
        (household_id, person_key): (pk, amount)
        for pk, household_id, person_key, amount in Entitlement.objects.filter(
            cycle=cycle, reissue_of__isnull=True
        ).values_list("pk", "household_id", "person_key", "amount")
    }
    gone = [pk for key, (pk, _amount) in existing.items() if key not in drafts]
    changed = [
        Entitlement(pk=existing[key][0], amount=value[0])
        for key, value in drafts.items()
        if key in existing and existing[key][1] != value[0]
    ]
    new = [
        Entitlement(
            cycle=cycle,
            household_id=household_id,
            person_id=person_key or None,
            person_key=person_key,
            county=county,
            layer=layer,
            amount=amount,
        )
        for (household_id, person_key), (amount, county, layer) in drafts.items()
        if (household_id, person_key) not in existing
    ]
    if not (gone or changed or new) and cycle.status == CycleStatus.PROPOSED:
        return cycle  # a second run: nothing to change, not even the cycle's history
    for start in range(0, len(gone), BATCH):
        Entitlement.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    if changed:
        Entitlement.objects.bulk_update(changed, ["amount"], batch_size=BATCH)
    if per_household:
        for entitlement in new:
            entitlement.save()
    elif new and connection.vendor == "postgresql":
        _insert_postgresql(new)
    elif new:
        Entitlement.objects.bulk_create(new, batch_size=BATCH)
    return _proposed(cycle)


@transaction.atomic
def _write_sets(cycle: Cycle) -> Cycle:
    """A household programme: the database brings the entitlements to the eligible set (``cycle_sets``)."""
    cycle = Cycle.objects.select_for_update().select_related("programme").get(pk=cycle.pk)
    if cycle.is_locked:
        raise ValidationError(_("This cycle is approved: its entitlements can no longer change."))
    if not write_set_based(cycle, cycle.programme) and cycle.status == CycleStatus.PROPOSED:
        return cycle  # a second run: nothing to change, not even the cycle's history
    return _proposed(cycle)


def _proposed(cycle: Cycle) -> Cycle:
    totals = Entitlement.objects.filter(cycle=cycle).aggregate(total=Sum("amount"), n=Count("pk"))
    cycle.total = totals["total"] or ZERO
    cycle.entitlement_count = totals["n"]
    cycle.status = CycleStatus.PROPOSED
    cycle.computed_at = timezone.now()
    cycle.save()
    return cycle


def _insert_postgresql(new: list[Entitlement]) -> None:
    """One multi-row INSERT built by psycopg2 rather than the ORM (as the subsidy run does): for 100,000 rows the
    ORM's per-field preparation costs more than the database's work. The same columns the ORM would write."""
    from psycopg2.extras import execute_values

    columns = "cycle_id, household_id, person_id, person_key, county, layer, amount, status, reason, receipt_signed_by"
    sql = f"INSERT INTO {Entitlement._meta.db_table} ({columns}) VALUES %s"
    rows = [
        (e.cycle_id, e.household_id, e.person_id, e.person_key, e.county, e.layer, e.amount, e.status, "", "")
        for e in new
    ]
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, page_size=len(rows))


def cycle_start(*, cycle: Cycle, user=None):
    """Queue the computation as a job (sent once the transaction commits)."""
    if cycle.is_locked:
        raise ValidationError(_("This cycle is approved: its entitlements can no longer change."))
    with transaction.atomic():
        Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.COMPUTING)
        return job_start(kind=CYCLE_JOB, user=user, target=cycle, total=100)


def cycle_job_failed(*, cycle_id: int) -> None:
    Cycle.objects.filter(pk=cycle_id, status=CycleStatus.COMPUTING).update(status=CycleStatus.DRAFT)


@transaction.atomic
def cycle_approve(*, cycle: Cycle, user=None) -> Cycle:
    """The county approves a computed cycle: its total is spent from the programme's fund (refused beyond
    the balance, under the fund's row lock) and its entitlements are approved for payment."""
    cycle = Cycle.objects.select_for_update().select_related("programme").get(pk=cycle.pk)
    if cycle.status != CycleStatus.PROPOSED:
        raise ValidationError(_("Only a computed cycle awaiting approval can be approved."))
    fund_spend(fund=cycle.programme.fund, amount=cycle.total, cycle=cycle, user=user, note=str(cycle))
    cycle.entitlements.filter(status=PaymentStatus.PROPOSED).update(status=PaymentStatus.APPROVED)
    cycle.status = CycleStatus.APPROVED
    cycle.approved_by = user
    cycle.approved_at = timezone.now()
    cycle.save()
    return cycle


def cycle_unpaid(cycle: Cycle):
    return cycle.entitlements.filter(Q(status=PaymentStatus.APPROVED))
