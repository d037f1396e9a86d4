"""Public pages for workers (no login, phone first, large text): the current vacancies of all stations and of
one station, and the job-wish form at a station, rate-limited as the other public forms."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_safe

from employment.choices import WishSource
from employment.forms.public import WishForm
from employment.selectors.public import current_vacancies, station_vacancies
from employment.services import wish_file
from stations.selectors.registry import public_stations
from unionhub.http import limited_response, over_limit

RATE = getattr(settings, "EMPLOYMENT_WISH_RATE_PER_IP", settings.CASEWORK_FILE_RATE_PER_IP)
PER_PAGE = 20


@require_safe
def vacancy_list(request):
    page = Paginator(current_vacancies(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "employment/list.html", {"page": page, "vacancies": page.object_list})


@require_safe
def station_jobs(request, code: str):
    station = get_object_or_404(public_stations(), code=code)
    return render(request, "employment/station.html", {"station": station, "vacancies": station_vacancies(station)})


@require_http_methods(["GET", "POST"])
def wish(request, code: str):
    station = get_object_or_404(public_stations(), code=code)
    county = station.region_id[:6]
    context = {"station": station}
    if request.method != "POST":
        context["form"] = WishForm(county=county)
        return render(request, "employment/wish.html", context)
    form = context["form"] = WishForm(request.POST, county=county)
    limited = not (request.user.is_authenticated and request.user.is_staff)
    wait = limited and over_limit(request, group="employment.wish.ip", rate=RATE, count=False)
    if wait:
        return limited_response(request, "employment/wish.html", context, wait)
    if not form.is_valid():
        return render(request, "employment/wish.html", context, status=400)
    try:
        filed = wish_file(station=station, source=WishSource.PHONE, **form.cleaned_data)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return render(request, "employment/wish.html", context, status=400)
    if limited:
        over_limit(request, group="employment.wish.ip", rate=RATE)
    context.update(filed=filed, vacancies=station_vacancies(station))
    return render(request, "employment/wish_done.html", context)
