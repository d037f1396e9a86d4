"""The dashboard page (数据看板) at ``/admin/dashboard/``: the figures the scheduled refresh stored for the
visitor's reach (``dashboard.services.snapshots``) with the time they were computed, or "正在统计" before its
first run - never computed on the visitor's request."""

from __future__ import annotations

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboard.selectors.dashboard import parse_year
from dashboard.selectors.snapshots import snapshot_figures
from dashboard.services.snapshots import snapshot_ask


def dashboard_view(request):
    """The dashboard page; ``dashboard.urls`` wraps it in ``admin.site.admin_view`` (staff login required)."""
    year = parse_year(request.GET.get("year"))
    snapshot = snapshot_ask(user=request.user, year=year, language=get_language())
    figures = snapshot_figures(snapshot, request.user)
    context = {**admin.site.each_context(request), "title": _("Dashboard"), "year": year}
    if figures is None:
        return TemplateResponse(request, "admin/dashboard_pending.html", context)
    return TemplateResponse(request, "admin/dashboard.html", {**context, **figures})
