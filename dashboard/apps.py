from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from dashboard import tasks  # noqa: F401 - registers the refresh's job kind (unionhub.jobkinds)
        from dashboard.workbench import render_workbench
        from unionhub import hooks

        hooks.register("admin_index_top", render_workbench)
        from dashboard.menu import MENU
        from unionhub.adminsite import menu_register

        menu_register(MENU)
