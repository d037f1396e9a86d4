"""Which requests a staff member reaches: ``unionhub.scoping``'s rule, as declared on the models.

A union chair or desk officer usually has no region of their own: the request models declare, besides the
region and the station, the users who reach a request (its handler and the handlers of the union holding
it), so the one scoping mechanism covers them. These helpers only name that rule for casework's callers."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from casework.models import UnionHandler, WorkerRequest
from unionhub.models import OrganizationKind, UnionOrganization
from unionhub.scoping import in_scope, reach_of, scope_queryset


def requests_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    return scope_queryset(WorkerRequest.objects.all() if queryset is None else queryset, user)


def request_reached(request: WorkerRequest, user) -> bool:
    return in_scope(request, user)


def related_reached(queryset: QuerySet, user, path: str = "request") -> QuerySet:
    """Rows hanging off a request (steps, attachments, referrals) whose request the user reaches."""
    return scope_queryset(queryset, user)


def request_actable(request: WorkerRequest, user) -> bool:
    """Whether ``user`` may act on the request (accept, reply, forward, resolve) rather than only read it: a
    request is acted on where it is held. Its handler and the handlers of the union holding it; staff whose
    region holds the holder union (a county over its grassroots unions, not over the city that took a request
    up); a station's desk (its managers, the mediation desk) while the request is held within the station's
    county, as the county's own staff."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if request.handler_id == user.pk or UnionHandler.objects.filter(union_id=request.holder_id, user=user).exists():
        return True
    region = reach_of(user).region_code
    if region and request.holder.region_id.startswith(region):
        return True
    return (
        request.station_id is not None
        and request.holder.region_id.startswith(request.station.region_id[:6])
        and request.station.managers.filter(pk=user.pk).exists()
    )


def people_in_reach(user) -> QuerySet:
    """Whom county staff may name as a union's chair or desk: active staff accounts in their reach (the
    scoping rule: accounts whose region is theirs) - never a person of another county. An account for a new
    chair is made by the administrator with the chair's county, town or union region as its region."""
    User = get_user_model()
    return scope_queryset(User.objects.filter(is_active=True, is_staff=True), user).order_by("first_name", "pk")


def handler_candidates(request: WorkerRequest, user) -> QuerySet:
    """Whom ``user`` may give the request to: the chairs and desk staff of the union holding it and of the
    unions in the user's reach, and the managers of the station it was filed at - active staff only."""
    unions = scope_queryset(UnionOrganization.objects.all(), user).values("pk")
    desks = UnionHandler.objects.filter(Q(union_id=request.holder_id) | Q(union_id__in=unions)).values("user_id")
    people = Q(pk__in=desks)
    if request.station_id is not None:
        people |= Q(managed_stations__pk=request.station_id)
    User = get_user_model()
    return (
        User.objects.filter(people, is_active=True, is_staff=True)
        .distinct()
        .prefetch_related(
            Prefetch("union_desks", queryset=UnionHandler.objects.select_related("union").order_by("-is_default"))
        )
        .order_by("first_name", "pk")
    )


def person_label(user) -> str:
    """A person as staff pick them: their name and the union they serve (never the login name)."""
    name = user.get_full_name().strip() or str(_("(name not given)"))
    unions = [desk.union.name for desk in user.union_desks.all()]
    return f"{name} · {unions[0]}" if unions else name


def desk_unit(user) -> str:
    """The union a chair or desk serves (their default one first), for ``unionhub.people``."""
    desk = UnionHandler.objects.filter(user_id=user.pk).select_related("union").order_by("-is_default").first()
    return desk.union.name if desk else ""


def lead_handlers(region_code: str) -> QuerySet:
    """The desks told when a request has no one acting on it: the handlers of the county and city (and
    province) federations above the request's region."""
    kinds = {
        OrganizationKind.COUNTY_FEDERATION: region_code[:6],
        OrganizationKind.CITY_FEDERATION: region_code[:4],
        OrganizationKind.PROVINCIAL_FEDERATION: region_code[:2],
    }
    condition = reduce(or_, [Q(union__kind=kind, union__region_id=code) for kind, code in kinds.items()])
    return UnionHandler.objects.filter(condition, user__is_active=True).select_related("user", "union")
