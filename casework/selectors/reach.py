"""Which requests a staff member reaches: the region/station scope, plus a handler's own desk.

The region and station rule is ``unionhub.scoping``'s (declared with ``@scoped`` on the models); a union chair
or desk officer usually has no region of their own, so a request also counts as reached when it is assigned
to them or held by a union they handle for (``UnionHandler``). Everything in the admin goes through here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from casework.models import UnionHandler, WorkerRequest
from unionhub.scoping import in_scope, reach_of, scope_queryset


def requests_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = WorkerRequest.objects.all() if queryset is None else queryset
    reach = reach_of(user)
    if reach.everything:
        return queryset
    if reach.user_id is None:
        return queryset.none()
    scoped_ids = scope_queryset(WorkerRequest.objects.all(), user).values("pk")
    desks = UnionHandler.objects.filter(user_id=reach.user_id).values("union_id")
    return queryset.filter(Q(pk__in=scoped_ids) | Q(handler_id=reach.user_id) | Q(holder_id__in=desks))


def request_reached(request: WorkerRequest, user) -> bool:
    if in_scope(request, user):
        return True
    reach = reach_of(user)
    if reach.user_id is None:
        return False
    return (
        request.handler_id == reach.user_id
        or UnionHandler.objects.filter(user_id=reach.user_id, union_id=request.holder_id).exists()
    )


def related_reached(queryset: QuerySet, user, path: str = "request") -> QuerySet:
    """Rows hanging off a request (steps, attachments, referrals) whose request the user reaches."""
    if reach_of(user).everything:
        return queryset
    return queryset.filter(**{f"{path}__in": requests_reached(user).values("pk")})
