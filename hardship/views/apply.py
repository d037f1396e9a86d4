"""A worker applies for hardship assistance from a phone (no account), and follows the application with its
reference and mobile number. Rate-limited per address like casework's filing form; filed through the register
service staff use (status "applied", source worker)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from hardship.forms import ApplyForm, StatusForm
from hardship.models import HouseholdStatus
from hardship.models.households import REFERENCE_ALPHABET, REFERENCE_LENGTH
from hardship.selectors.public import application_steps, served_counties, station_county
from hardship.services import register
from hardship.services.evidence import evidence_check
from unionhub.http import limited_response, over_limit

APPLY_RATE = "HARDSHIP_APPLY_RATE_PER_IP"


def _errors_beside_fields(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _documents_refused(form) -> None:
    try:
        evidence_check((getattr(form, "cleaned_data", None) or {}).get("evidence") or [])
    except ValidationError as exc:
        form.add_error("evidence", exc)


@require_http_methods(["GET", "POST"])
def apply(request):
    station, county = station_county(request.GET.get("station", "").strip())
    counties = served_counties()
    form_kwargs = {"counties": counties, "county": county}
    context = {"station": station}
    if request.method != "POST":
        context["form"] = ApplyForm(**form_kwargs)
        return render(request, "hardship/apply.html", context)
    form = ApplyForm(request.POST, request.FILES, **form_kwargs)
    context["form"] = form
    rate = getattr(settings, APPLY_RATE, settings.CASEWORK_FILE_RATE_PER_IP)
    wait = over_limit(request, group="hardship.apply.ip", rate=rate, count=False)
    if wait:
        return limited_response(request, "hardship/apply.html", context, wait)
    if not form.is_valid():
        _documents_refused(form)  # every problem at once: the documents too
        return render(request, "hardship/apply.html", context, status=400)
    data = form.cleaned_data
    kind = data.get("evidence_kind") or "other"
    try:
        household = register.household_apply_online(
            union=data["union"],
            head_name=data["head_name"],
            resident_id=data["resident_id"],
            mobile=data["mobile"],
            people_count=data["people_count"],
            income_per_head_month=data["income_per_head"],
            cause=data["cause"],
            account=data["account"],
            consent=data["consent"],
            evidence=[(kind, upload) for upload in data["evidence"]],
        )
    except ValidationError as exc:
        _errors_beside_fields(form, exc)
        return render(request, "hardship/apply.html", context, status=400)
    over_limit(request, group="hardship.apply.ip", rate=rate)
    return redirect("hardship:applied", reference=household.reference)


@require_GET
def applied(request, reference: str):
    """The reference number, to keep. Looks nothing up: the page shows only what is in its address."""
    if len(reference) != REFERENCE_LENGTH or any(c not in REFERENCE_ALPHABET for c in reference):
        raise Http404
    status_url = f"{reverse('hardship:status')}?{urlencode({'ref': reference})}"
    return render(request, "hardship/applied.html", {"reference": reference, "status_url": status_url})


@require_http_methods(["GET", "POST"])
def status(request):
    """The application's step for the right reference and mobile number together; "not found" for anything
    else, without saying which part was wrong."""
    context = {}
    if request.method != "POST":
        context["form"] = StatusForm(initial={"reference": request.GET.get("ref", "")[:12]})
        return render(request, "hardship/status.html", context)
    form = StatusForm(request.POST)
    context["form"] = form
    wait = over_limit(request, group="hardship.status.ip", rate=settings.CASEWORK_STATUS_RATE_PER_IP)
    if wait:
        return limited_response(request, "hardship/status.html", context, wait)
    if not form.is_valid():
        return render(request, "hardship/status.html", context, status=400)
    household = register.household_lookup(**form.cleaned_data)
    context["looked_up"] = True
    if household is not None:
        context.update(
            household=household,
            steps=application_steps(household),
            rejected=household.status == HouseholdStatus.REJECTED,
        )
    return render(request, "hardship/status.html", context, status=200 if household else 404)
