"""Writes of hardship: the only place for its rules."""

from hardship.services.cycles import CYCLE_JOB, cycle_approve, cycle_compute, cycle_create, cycle_start
from hardship.services.funds import (
    entitlement_mark,
    entitlement_reissue,
    fund_allocate,
    fund_spend,
    payment_list,
)
from hardship.services.payment_results import (
    RESULTS_JOB,
    payment_results_apply,
    payment_results_check,
    payment_results_confirm,
    payment_results_stage,
)
from hardship.services.rechecks import RECHECK_JOB, recheck_done, rechecks_open
from hardship.services.register import (
    ELSEWHERE,
    household_apply,
    household_apply_online,
    household_approve,
    household_check,
    household_leave,
    household_lookup,
    household_notice_start,
    household_reject,
    household_review,
    household_visit,
    objection_add,
    objection_resolve,
)

__all__ = [
    "CYCLE_JOB",
    "ELSEWHERE",
    "RECHECK_JOB",
    "RESULTS_JOB",
    "cycle_approve",
    "cycle_compute",
    "cycle_create",
    "cycle_start",
    "entitlement_mark",
    "entitlement_reissue",
    "fund_allocate",
    "fund_spend",
    "household_apply",
    "household_apply_online",
    "household_approve",
    "household_check",
    "household_leave",
    "household_lookup",
    "household_notice_start",
    "household_reject",
    "household_review",
    "household_visit",
    "objection_add",
    "objection_resolve",
    "payment_list",
    "payment_results_apply",
    "payment_results_check",
    "payment_results_confirm",
    "payment_results_stage",
    "recheck_done",
    "rechecks_open",
]
