"""Public pages of hardship: a county's public notice (公示) for phones, and the same notice to print
(``?county=140521``). Names partly masked, no ID number, nothing else about the households. Without a county
(or with one that does not exist) the page lists the counties whose notices are running."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hardship.selectors.notice import counties_on_notice, notice_county, notice_rows


def _context(request) -> dict:
    county = notice_county(request.GET.get("county", "")[:6])
    today = timezone.localdate()
    if county is None:
        return {"county": None, "counties": counties_on_notice(today=today), "today": today}
    return {"county": county, "rows": notice_rows(county=county.code, today=today), "today": today}


@require_GET
def notice(request):
    return render(request, "hardship/notice.html", _context(request))


@require_GET
def notice_print(request):
    return render(request, "hardship/notice_print.html", _context(request))
