"""The pure rules of a programme: who is eligible and how much. No database: facts in, amounts out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hardship.models import AmountRule, PersonCondition, Programme

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class HouseholdFacts:
    household_id: int
    county: str
    layer: str
    people_count: int
    costs: Decimal = ZERO


@dataclass(frozen=True)
class PersonFacts:
    person_id: int
    health: str
    is_student: bool
    disabled: bool


def person_eligible(condition: str, person: PersonFacts) -> bool:
    if condition == PersonCondition.STUDENT:
        return person.is_student
    if condition == PersonCondition.SERIOUS:
        return person.health == "serious"
    if condition == PersonCondition.DISABLED:
        return person.disabled
    return True


def amount_for(programme: Programme, facts: HouseholdFacts) -> Decimal:
    """The amount the rule gives, capped by ``programme.cap`` when set; 0 means nothing to pay."""
    rule = programme.rule
    if rule == AmountRule.BY_LAYER:
        amount = {
            "deep": programme.amount_deep,
            "relative": programme.amount_relative,
            "accident": programme.amount_accident,
        }.get(facts.layer, ZERO)
    elif rule == AmountRule.BY_PEOPLE:
        amount = programme.amount * facts.people_count
    elif rule == AmountRule.COSTS:
        amount = facts.costs
    else:
        amount = programme.amount
    if programme.cap is not None and amount > programme.cap:
        amount = programme.cap
    return Decimal(amount).quantize(Decimal("0.01"))
