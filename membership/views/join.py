"""Public pages for workers (no login, phone first): join, submitted, status, the notice, QR codes."""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from membership import services
from membership.choices import JOINABLE_KINDS, ApplicationStatus
from membership.forms.join import JoinForm, StatusForm, county_names
from stations.models import Station
from stations.selectors.registry import public_stations
from unionhub.http import file_response, limited_response, over_limit, over_limits
from unionhub.models.regions import UnionOrganization
from unionhub.qr import qr_svg

EVENT_RE = re.compile(r"[^\w\-]+")
SOURCE_CACHE_SECONDS = 60
_source_cache: dict[tuple, tuple[float, object]] = {}


def _cached(key: tuple, load):
    """A small per-process cache for what every submission looks up and what rarely changes (a QR code's
    station, the served counties): a minute old at most, and no round trip to Redis."""
    hit = _source_cache.get(key)
    now = time.monotonic()
    if hit and now - hit[0] < SOURCE_CACHE_SECONDS:
        return hit[1]
    value = load()
    _source_cache[key] = (now, value)
    return value


def source_cache_clear(**kwargs) -> None:
    """Forget the cached stations, unions and counties (connected to their post_save and post_delete)."""
    _source_cache.clear()


def _served() -> dict[str, str]:
    return _cached(("served",), lambda: county_names(services.served_counties()))


def _station(code: str) -> Station | None:
    if not code:
        return None
    return _cached(
        ("station", code),
        # Only a station the public finder shows: a join link must not name one it hides.
        lambda: (
            public_stations()
            .select_related(None)
            .prefetch_related(None)
            .filter(code=code)
            .only("pk", "name", "region_id")
            .first()
        ),
    )


def _union(pk: str) -> UnionOrganization | None:
    if not pk.isdigit():
        return None
    # Any union inside a county: a grassroots union or industry federation is the union joined; a county or
    # town federation's code (a pop-up desk's) only says which county reviews the application.
    return _cached(
        ("union", pk),
        lambda: (
            UnionOrganization.objects.filter(pk=pk, is_holding_pool=False, region__code__regex=r"^\d{6}")
            .only("pk", "name", "kind", "region_id")
            .first()
        ),
    )


def join_source(request) -> dict:
    """Where the worker came from, read from the QR code's link: ``?station=<code>`` or ``?union=<id>``, and
    ``&event=<name>`` for a pop-up desk. An unknown station or union is ignored: the page still works."""
    station = _station(request.GET.get("station", "").strip()[:30])
    union = None if station else _union(request.GET.get("union", "").strip()[:12])
    event = EVENT_RE.sub("", request.GET.get("event", ""))[:50]
    return {"station": station, "union": union, "event": event}


def join_url(*, station: Station | None = None, union: UnionOrganization | None = None, absolute=True) -> str:
    """The join link a QR code carries."""
    query = {"station": station.code} if station else {"union": union.pk} if union else {}
    url = reverse("membership:join") + (f"?{urlencode(query)}" if query else "")
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{url}" if absolute else url


def _limited(request, template: str, context: dict, seconds: int):
    message = _(
        "Too many attempts from this network or for this ID number. Please try again in %(minutes)s minutes, "
        "or ask the staff at a union station for help."
    )
    return limited_response(request, template, context, seconds, message)


@require_http_methods(["GET", "POST"])
def join(request):
    """The application form. The POST path is kept lean: one call to the cache for its two counters, one
    SELECT of the register, one INSERT, one redirect."""
    source = join_source(request)
    station, source_union = source["station"], source["union"]
    joinable = source_union is not None and source_union.kind in JOINABLE_KINDS
    fixed_union = source_union if joinable else None
    served = _served()
    county = (station or source_union).region_id[:6] if (station or source_union) else None
    form_kwargs = {"counties": served, "fixed_union": fixed_union, "county": county}
    context = {
        "source": source,
        "notice_version": settings.MEMBERSHIP_PRIVACY_NOTICE_VERSION,
        "promise_minutes": settings.MEMBERSHIP_DECISION_PROMISE_MINUTES,
    }
    if request.method != "POST":
        context["form"] = JoinForm(**form_kwargs)
        return render(request, "membership/join.html", context)

    form = JoinForm(request.POST, **form_kwargs)
    context["form"] = form
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    # Every attempt counts against the address; a valid one also against its ID *and* mobile number: a
    # stranger who knows someone's ID number exhausts only their own pair, never the person's own attempts
    # (made with the person's own mobile). Both counters in one round trip to the cache.
    limits = [("membership.join.ip", settings.MEMBERSHIP_JOIN_RATE_PER_IP, None, True)]
    if valid:
        pair = f"{data['resident_id']}:{data['mobile']}"
        limits.append(("membership.join.id", settings.MEMBERSHIP_JOIN_RATE_PER_ID, pair, True))
    wait = over_limits(request, *limits)
    if wait:
        return _limited(request, "membership/join.html", context, wait)
    if not valid:
        return render(request, "membership/join.html", context, status=400)
    application = services.application_submit(
        name=data["name"],
        resident_id=data["resident_id"],
        mobile=data["mobile"],
        employer=data["employer"],
        occupation=data["occupation"],
        union=data.get("union"),
        county_code=data.get("county") or None,
        source_station=station,
        source_union=source_union,
        event=source["event"],
        consent_version=settings.MEMBERSHIP_PRIVACY_NOTICE_VERSION,
        served_counties=served,
    )
    return redirect("membership:submitted", reference=application.reference)


@require_GET
def submitted(request, reference: str):
    """The reference number, to keep. Looks nothing up: the page shows only what is in its address."""
    if len(reference) != services.REFERENCE_LENGTH or reference != services.reference_normalize(reference):
        raise Http404
    return render(
        request,
        "membership/submitted.html",
        {
            "reference": reference,
            "status_url": f"{reverse('membership:status')}?{urlencode({'ref': reference})}",
            "promise_minutes": settings.MEMBERSHIP_DECISION_PROMISE_MINUTES,
        },
    )


@require_http_methods(["GET", "POST"])
def status(request):
    """Pending, approved with the card number, or rejected with the reason - for the right reference and
    mobile number together; "not found" for anything else, without saying which part was wrong."""
    context = {"promise_minutes": settings.MEMBERSHIP_DECISION_PROMISE_MINUTES}
    if request.method != "POST":
        context["form"] = StatusForm(initial={"reference": request.GET.get("ref", "")[:20]})
        return render(request, "membership/status.html", context)
    form = StatusForm(request.POST)
    context["form"] = form
    wait = over_limit(request, group="membership.status.ip", rate=settings.MEMBERSHIP_STATUS_RATE_PER_IP)
    if wait:
        return _limited(request, "membership/status.html", context, wait)
    if not form.is_valid():
        return render(request, "membership/status.html", context, status=400)
    application = services.application_lookup(**form.cleaned_data)
    # The member's card, union and join date only to someone holding the member's registered mobile number.
    context["show_member"] = bool(
        application and application.member and application.member.mobile == application.mobile
    )
    context["looked_up"] = True
    context["application"] = application
    context["Status"] = ApplicationStatus
    return render(request, "membership/status.html", context, status=200 if application else 404)


@require_GET
def privacy(request):
    return render(request, "membership/privacy.html", {"notice_version": settings.MEMBERSHIP_PRIVACY_NOTICE_VERSION})


@require_GET
@cache_control(max_age=3600, public=True)
def qr(request):
    """An SVG QR code of the join link for ``?station=<code>`` or ``?union=<id>`` (or the plain join page),
    for posters, table cards at pop-up desks and union notice boards."""
    source = join_source(request)
    target = join_url(station=source["station"], union=source["union"])
    if source["event"]:
        target += ("&" if "?" in target else "?") + urlencode({"event": source["event"]})
    scale = request.GET.get("scale", "")
    scale = min(int(scale), 20) if scale.isdigit() and int(scale) > 0 else 8
    return file_response(
        qr_svg(target, scale=scale).encode(),
        "join-qr.svg",
        content_type="image/svg+xml",
        inline=not request.GET.get("download"),
    )
