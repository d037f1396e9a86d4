"""The public "rate this station" page, linked from a station's public page and its QR poster: 1 to 5 and a
comment, one per mobile number, station and month. Rate-limited per client address (``unionhub.http``)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from stations.forms.public import StationRatingForm
from stations.models import Station
from stations.services import RATEABLE, station_rating_submit
from unionhub.http import over_limit


def station_rate(request: HttpRequest, code: str) -> HttpResponse:
    station = get_object_or_404(Station.objects.filter(status__in=RATEABLE).select_related("region"), code=code)
    form = StationRatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if over_limit(request, group="stations.rate.ip", rate=settings.STATION_RATING_RATE):
            form.is_valid()
            form.add_error(None, _("Too many ratings from this connection. Please try again later."))
            status = 429
        elif form.is_valid():
            try:
                station_rating_submit(
                    station=station,
                    mobile=form.cleaned_data["mobile"],
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                field = "mobile" if getattr(exc, "code", None) in {"mobile", "duplicate"} else None
                form.add_error(field, exc)
            else:
                return render(request, "public/rate_done.html", {"station": station})
        if form.errors and status == 200:
            status = 400
    return render(request, "public/rate.html", {"station": station, "form": form}, status=status)
