"""Service projects in the admin, with their progress counted from what is linked to them."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from outreach.models import ServiceProject
from outreach.selectors import project_percent, project_progress
from outreach.selectors.lists import projects_reached
from unionhub.admin.base import ScopedModelAdmin


@admin.register(ServiceProject)
class ServiceProjectAdmin(ScopedModelAdmin):
    scoped_base = staticmethod(projects_reached)
    list_display = ["title", "year", "owner", "measure", "target", "progress", "percent", "headline"]
    list_filter = ["year", "measure", "headline"]
    search_fields = ["title", "owner"]

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return project_progress(obj)

    @admin.display(description=_("share of target"))
    def percent(self, obj):
        return f"{project_percent(obj)}%"
