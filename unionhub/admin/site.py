"""The admin site: Django's, with the menu arranged by task (``unionhub.admin.menu``)."""

from __future__ import annotations

from django.contrib import admin

from unionhub.admin.menu import arrange


class UnionAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        return app_list if app_label else arrange(app_list)
