"""Which requests a staff member reaches: ``unionhub.scoping``'s rule, as declared on the models.

A union chair or desk officer usually has no region of their own: the request models declare, besides the
region and the station, the users who reach a request (its handler and the handlers of the union holding
it), so the one scoping mechanism covers them. These helpers only name that rule for casework's callers."""

from __future__ import annotations

from django.db.models import QuerySet

from casework.models import WorkerRequest
from unionhub.scoping import in_scope, scope_queryset


def requests_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    return scope_queryset(WorkerRequest.objects.all() if queryset is None else queryset, user)


def request_reached(request: WorkerRequest, user) -> bool:
    return in_scope(request, user)


def related_reached(queryset: QuerySet, user, path: str = "request") -> QuerySet:
    """Rows hanging off a request (steps, attachments, referrals) whose request the user reaches."""
    return scope_queryset(queryset, user)
