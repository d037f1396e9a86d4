"""Models of hardship; the package imports every module."""

from hardship.models.evidence import Evidence, EvidenceKind
from hardship.models.funds import Fund, FundMovement, FundSource, MovementKind
from hardship.models.households import (
    Cause,
    CountyCriteria,
    Household,
    HouseholdEvent,
    HouseholdPerson,
    HouseholdStatus,
    IncomeSource,
    Layer,
    LeaveReason,
    Objection,
    Recheck,
    Source,
    Step,
)
from hardship.models.payments import ImportStatus, PaymentImport
from hardship.models.programmes import (
    AmountRule,
    CostClaim,
    Cycle,
    CycleStatus,
    Entitlement,
    PaymentStatus,
    PersonCondition,
    Programme,
)

__all__ = [
    "Evidence",
    "EvidenceKind",
    "Source",
    "AmountRule",
    "Cause",
    "CostClaim",
    "CountyCriteria",
    "Cycle",
    "CycleStatus",
    "Entitlement",
    "Fund",
    "FundMovement",
    "FundSource",
    "Household",
    "HouseholdEvent",
    "HouseholdPerson",
    "HouseholdStatus",
    "ImportStatus",
    "IncomeSource",
    "Layer",
    "LeaveReason",
    "MovementKind",
    "Objection",
    "PaymentImport",
    "PaymentStatus",
    "PersonCondition",
    "Programme",
    "Recheck",
    "Step",
]
