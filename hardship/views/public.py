"""Public pages of hardship: a county's public notice (公示) for phones, and the same notice to print.
Names partly masked, no ID number, nothing else about the households."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hardship.selectors.notice import notice_county, notice_rows


def _context(county_code: str) -> dict:
    county = notice_county(county_code)
    if county is None:
        raise Http404
    return {"county": county, "rows": notice_rows(county=county.code), "today": timezone.localdate()}


@require_GET
def notice(request, county):
    return render(request, "hardship/notice.html", _context(county))


@require_GET
def notice_print(request, county):
    return render(request, "hardship/notice_print.html", _context(county))
