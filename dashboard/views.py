"""The dashboard page (数据看板) at ``/admin/dashboard/``; its figures come from ``dashboard.selectors``."""

from __future__ import annotations

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from dashboard.selectors.dashboard import cached_dashboard_data, parse_year


def dashboard_view(request):
    """The dashboard page; ``dashboard.urls`` wraps it in ``admin.site.admin_view`` (staff login required)."""
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        **cached_dashboard_data(request.user, year=parse_year(request.GET.get("year"))),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)
