"""Public phone pages: an event's sign-up, the ticket with its check-in QR code, and a pop-up desk's QR target."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from outreach import services
from outreach.forms import SignUpForm
from outreach.models import Event, JoiningDesk, SignUp
from unionhub.http import over_limit
from unionhub.qr import qr_svg

SIGNUP_RATE = "20/10m"


@require_http_methods(["GET", "POST"])
def signup(request, code: str):
    event = get_object_or_404(Event.objects.select_related("station", "kind"), code=code.upper()[:8])
    form = SignUpForm(request.POST or None)
    context = {"event": event, "form": form}
    if request.method == "POST":
        if over_limit(request, group="outreach.signup.ip", rate=SIGNUP_RATE):
            form.add_error(None, _("Too many attempts from this network. Please try again later."))
            return render(request, "outreach/signup.html", context, status=429)
        if form.is_valid():
            try:
                booked = services.signup_create(event=event, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(None if field == "__all__" or field not in form.fields else field, errors)
            else:
                return redirect("outreach:ticket", code=booked.code)
        return render(request, "outreach/signup.html", context, status=400)
    return render(request, "outreach/signup.html", context)


@require_GET
def ticket(request, code: str):
    booked = SignUp.objects.select_related("event").filter(code=code.upper()[:8]).first()
    if booked is None:
        raise Http404
    return render(request, "outreach/ticket.html", {"signup": booked, "event": booked.event, "qr": qr_svg(booked.code)})


@require_GET
def desk(request, code: str):
    found = get_object_or_404(JoiningDesk, code=code.upper()[:10])
    try:
        services.desk_open_check(desk=found)
    except ValidationError as exc:
        return render(request, "outreach/desk_closed.html", {"desk": found, "message": exc.messages[0]}, status=410)
    return redirect(services.desk_join_url(desk=found))
