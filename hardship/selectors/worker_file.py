"""A worker's file (一人一档): one person's membership, requests, mediation cases and assistance, each read
through its own scope, numbers masked."""

from __future__ import annotations

from casework.models import MediationCase, WorkerRequest
from hardship.models import Entitlement, Household
from membership.models import Member
from unionhub.personal import MOBILE, RESIDENT_ID, mask
from unionhub.scoping import scope_queryset


def worker_file(user, *, member: Member | None = None, household: Household | None = None) -> dict:
    """Everything the user may see about the person: the member (or the household's head) found by ID
    number, their requests and cases by mobile number, their households and what was given to them."""
    resident_id = member.resident_id if member else household.resident_id
    mobile = member.mobile if member else household.mobile
    if member is None:
        member = scope_queryset(Member.objects.filter(resident_id=resident_id), user).select_related("union").first()
    households = scope_queryset(Household.objects.filter(resident_id=resident_id), user).order_by("-applied_on")
    mobiles = {m for m in (mobile, member.mobile if member else "") if m}
    requests = (
        scope_queryset(WorkerRequest.objects.filter(mobile__in=mobiles), user).order_by("-pk")[:50] if mobiles else []
    )
    cases = (
        scope_queryset(MediationCase.objects.filter(parties__mobile__in=mobiles), user).distinct().order_by("-pk")[:50]
        if mobiles
        else []
    )
    given = (
        scope_queryset(Entitlement.objects.filter(household__in=households), user)
        .select_related("cycle__programme")
        .order_by("-cycle__period_start")
    )
    name = member.name if member else household.head_name
    return {
        "name": name,
        "resident_id": mask(resident_id, RESIDENT_ID),
        "mobile": mask(mobile, MOBILE),
        "member": member,
        "households": list(households),
        "requests": list(requests),
        "cases": list(cases),
        "entitlements": list(given),
    }
