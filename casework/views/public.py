"""Public pages for workers (no login, phone first): file a request, follow it, rate it or ask to reopen it.

A request is shown only to someone who gave its reference number *and* mobile number on this device (the
pair is remembered in the session); a wrong pair and a missing request give the same answer."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from casework.forms.public import (
    GOOD_LABELS,
    AttachForm,
    FileRequestForm,
    FindForm,
    RateForm,
    ReopenForm,
    StatusForm,
)
from casework.models import WorkerRequest
from casework.selectors.mediation import injury_deadlines, is_injury, limitation_for, request_cases
from casework.selectors.timeline import request_now, request_timeline
from casework.services import requests as services
from casework.services.attachments import attachments_check
from stations.models import Station
from unionhub.http import limited_response, over_limit
from unionhub.models import OrganizationKind, UnionOrganization

SESSION_KEY = "casework_requests"


def served_counties() -> dict[str, str]:
    """Counties with a county federation to take requests: code → name."""
    rows = UnionOrganization.objects.filter(kind=OrganizationKind.COUNTY_FEDERATION).select_related("region")
    return {union.region_id: union.region.name for union in rows.order_by("region_id")}


def request_source(request) -> dict:
    """``?station=<code>`` or ``?union=<id>`` from a QR code; unknown ones are ignored."""
    code = request.GET.get("station", "").strip()[:30]
    station = Station.objects.filter(code=code).select_related("host").first() if code else None
    union_id = request.GET.get("union", "").strip()[:12]
    union = None
    if station is None and union_id.isdigit():
        union = UnionOrganization.objects.filter(pk=union_id, is_holding_pool=False).first()
    return {"station": station, "union": union}


def _grant(request, worker_request: WorkerRequest) -> None:
    granted = set(request.session.get(SESSION_KEY, []))
    granted.add(worker_request.pk)
    request.session[SESSION_KEY] = sorted(granted)[-20:]


def _granted(request, reference: str) -> WorkerRequest:
    worker_request = WorkerRequest.objects.select_related("holder").filter(reference=reference).first()
    if worker_request is None or worker_request.pk not in request.session.get(SESSION_KEY, []):
        raise Http404
    return worker_request


def _attachments_refused(form) -> bool:
    """Whether the attached files are refused (type by content, size, count: ``attachments_check``), with the
    problems put beside the field. Checked even when other fields are wrong, so every problem shows at once."""
    try:
        attachments_check((getattr(form, "cleaned_data", None) or {}).get("attachments") or [])
    except ValidationError as exc:
        form.add_error("attachments", exc)
        return True
    return False


@require_http_methods(["GET", "POST"])
def file_request(request):
    source = request_source(request)
    fixed = source["station"] or source["union"]
    form_kwargs = {"counties": served_counties(), "fixed_place": bool(fixed)}
    context = {"source": source, "max_files": settings.CASEWORK_MAX_ATTACHMENTS}
    if request.method != "POST":
        context["form"] = FileRequestForm(**form_kwargs)
        return render(request, "casework/file.html", context)
    form = FileRequestForm(request.POST, request.FILES, **form_kwargs)
    context["form"] = form
    # The limit counts accepted filings only (a form sent back with a mistake costs nothing), and staff logged
    # in - a station's desk filing for the workers in front of it - are not limited by their address.
    limited = not (request.user.is_authenticated and request.user.is_staff)
    wait = limited and over_limit(
        request, group="casework.file.ip", rate=settings.CASEWORK_FILE_RATE_PER_IP, count=False
    )
    if wait:
        return limited_response(request, "casework/file.html", context, wait)
    valid = form.is_valid()
    if _attachments_refused(form) or not valid:
        return render(request, "casework/file.html", context, status=400)
    data = form.cleaned_data
    try:
        worker_request = services.request_file(
            category=data["category"],
            employer_name=data["employer_name"],
            employer_credit_code=data["employer_credit_code"],
            description=data["description"],
            wanted=data["wanted"],
            name=data["name"],
            mobile=data["mobile"],
            consent=data["consent"],
            station=source["station"],
            source_union=source["union"],
            county_code=data.get("county") or None,
            attachments=data["attachments"],
            confidential=data.get("confidential", False),
            filed_by=request.user if not limited else None,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return render(request, "casework/file.html", context, status=400)
    if limited:
        over_limit(request, group="casework.file.ip", rate=settings.CASEWORK_FILE_RATE_PER_IP)
    _grant(request, worker_request)
    return redirect("casework:detail", reference=worker_request.reference)


@require_http_methods(["GET", "POST"])
def find(request):
    """A worker who lost their references: the mobile number in, a message with the references out. The page
    answers the same whether the number filed anything, so it tells nobody whose number it is."""
    context = {"form": FindForm()}
    if request.method != "POST":
        return render(request, "casework/find.html", context)
    form = FindForm(request.POST)
    context["form"] = form
    wait = over_limit(request, group="casework.find.ip", rate=settings.CASEWORK_STATUS_RATE_PER_IP)
    if wait:
        return limited_response(request, "casework/find.html", context, wait)
    if not form.is_valid():
        return render(request, "casework/find.html", context, status=400)
    services.request_references_send(mobile=form.cleaned_data["mobile"])
    context["sent"] = True
    context["form"] = FindForm()
    return render(request, "casework/find.html", context)


@require_POST
def attach(request, reference: str):
    """The worker adds files to an open request; the handler is told."""
    worker_request = _granted(request, reference)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_attach(request=worker_request, attachments=form.cleaned_data["attachments"])
            return redirect(reverse("casework:detail", kwargs={"reference": reference}) + "#files")
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    return render(request, "casework/detail.html", _detail_context(worker_request, attach_form=form), status=400)


@require_http_methods(["GET", "POST"])
def status(request):
    context = {}
    if request.method != "POST":
        context["form"] = StatusForm(initial={"reference": request.GET.get("ref", "")[:20]})
        return render(request, "casework/status.html", context)
    form = StatusForm(request.POST)
    context["form"] = form
    wait = over_limit(request, group="casework.status.ip", rate=settings.CASEWORK_STATUS_RATE_PER_IP)
    if wait:
        return limited_response(request, "casework/status.html", context, wait)
    if not form.is_valid():
        return render(request, "casework/status.html", context, status=400)
    worker_request = services.request_lookup(**form.cleaned_data)
    if worker_request is None:
        context["not_found"] = True
        return render(request, "casework/status.html", context, status=404)
    _grant(request, worker_request)
    return redirect("casework:detail", reference=worker_request.reference)


def _detail_context(worker_request: WorkerRequest, **extra) -> dict:
    return {
        "item": worker_request,
        "steps": request_timeline(worker_request),
        "now": request_now(worker_request),
        "can_rate": worker_request.status == "resolved",
        "can_reopen": services.can_reopen(worker_request),
        "reopen_until": services.reopen_deadline(worker_request),
        "good_labels": [GOOD_LABELS[key] for key in worker_request.rating_good or [] if key in GOOD_LABELS],
        "rate_form": RateForm(),
        "reopen_form": ReopenForm(),
        "attach_form": AttachForm(),
        "can_attach": worker_request.is_open,
        "cases": request_cases(worker_request),
        "injury": is_injury(worker_request.category),
        **extra,
    }


@require_http_methods(["GET"])
def detail(request, reference: str):
    worker_request = _granted(request, reference)
    return render(request, "casework/detail.html", _detail_context(worker_request))


@require_POST
def rate(request, reference: str):
    worker_request = _granted(request, reference)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.request_rate(
                request=worker_request,
                rating=form.cleaned_data["rating"],
                good=form.cleaned_data["good"],
                comment=form.cleaned_data["comment"],
            )
            return redirect(reverse("casework:detail", kwargs={"reference": reference}) + "#rated")
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    return render(request, "casework/detail.html", _detail_context(worker_request, rate_form=form), status=400)


@require_POST
def reopen(request, reference: str):
    worker_request = _granted(request, reference)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.request_reopen(request=worker_request, reason=form.cleaned_data["reason"])
            return redirect("casework:detail", reference=reference)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    return render(request, "casework/detail.html", _detail_context(worker_request, reopen_form=form), status=400)


@require_http_methods(["GET"])
def receipt(request, reference: str):
    """A printable receipt for the worker: the day they asked the union for help, which interrupts the one-year
    arbitration limitation (劳动争议调解仲裁法 第二十七条), and, for a work injury, the recognition deadlines."""
    worker_request = _granted(request, reference)
    cases = request_cases(worker_request)
    context = {
        "item": worker_request,
        "limitation": limitation_for(worker_request),
        "injury": is_injury(worker_request.category),
        "injury_deadlines": injury_deadlines(None),
        "cases": cases,
    }
    return render(request, "casework/receipt_print.html", context)
