"""The workbench on the admin's home page: rendered into the index's ``admin_index_top`` slot (a page hook,
so the core's index template knows nothing of the apps)."""

from __future__ import annotations

from django.template.loader import render_to_string

from dashboard.selectors.workbench import workbench_items


def render_workbench(request, **context) -> str:
    if request is None or not request.user.is_authenticated:
        return ""
    items = workbench_items(request.user)
    return render_to_string(
        "dashboard/workbench.html",
        {"items": items, "waiting": sum(1 for item in items if item.count)},
        request=request,
    )
