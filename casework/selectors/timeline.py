"""What the worker reads on the status page: each step in plain words, who holds the request, the limit."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from casework.choices import PUBLIC_EVENTS, CaseStatus, EventKind, RequestStatus
from casework.models import WorkerRequest
from casework.selectors.clock import mediation_period_ends_on


@dataclass(frozen=True)
class Step:
    at: object
    kind: str
    title: str
    text: str


def _title(kind: str, to_union: str) -> str:
    titles = {
        EventKind.FILED: _("Your request was received"),
        EventKind.ROUTED: _("Passed to %(union)s"),
        EventKind.ACCEPTED: _("%(union)s has taken up your request"),
        EventKind.RESPONDED: _("A reply from the union"),
        EventKind.FORWARDED: _("Taken on by the higher union, %(union)s, on your behalf"),
        EventKind.ESCALATED: _("Not handled in time: passed up to %(union)s, which will see to it"),
        EventKind.REFERRED: _("Referred to another department"),
        EventKind.MEDIATION: _("Taken into labour-dispute mediation"),
        EventKind.RESOLVED: _("Resolved"),
        EventKind.RATED: _("You rated the handling"),
        EventKind.REOPENED: _("You asked for it to be handled again"),
    }
    return titles.get(kind, kind) % {"union": to_union}


def request_timeline(request: WorkerRequest) -> list[Step]:
    """The public steps, oldest first. Staff reminders (due soon) and internal reassignments are left out;
    names of individual staff are not shown, only unions."""
    events = request.events.filter(kind__in=PUBLIC_EVENTS).select_related("to_union").order_by("at", "pk")
    steps = []
    holder = ""
    for event in events:
        holder = str(event.to_union) if event.to_union_id else holder
        steps.append(Step(event.at, event.kind, _title(event.kind, holder or str(request.holder)), event.note))
    return steps


def request_now(request: WorkerRequest) -> dict:
    """Who holds the request now and what they must do by when."""
    if request.status == RequestStatus.NEW:
        next_step, due = _("to be taken up by"), request.level_due_on
    elif request.status == RequestStatus.ACCEPTED:
        next_step, due = _("to be resolved by"), request.level_due_on
    elif request.status == RequestStatus.MEDIATION:
        case = request.mediation_cases.filter(status=CaseStatus.OPEN).select_related("station").first()
        next_step, due = _("mediation period ends"), mediation_period_ends_on(case) if case else None
    else:
        next_step, due = "", None
    # A date counted across a year whose holidays are not loaded yet is an estimate (the clock says so): the
    # worker reads it as provisional, as staff do.
    provisional = bool(due) and request.due_provisional and request.status != RequestStatus.MEDIATION
    return {"holder": request.holder, "next_step": next_step, "due": due, "provisional": provisional}
