from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach and events")

    def ready(self) -> None:
        from outreach import tasks  # noqa: F401 - registers the app's job kinds (unionhub.jobkinds)
        from outreach.hooks import dashboard_targets, dashboard_targets_figures
        from unionhub import hooks

        hooks.register("dashboard_sections", dashboard_targets)
        hooks.register_figures("dashboard_sections", "outreach", dashboard_targets_figures)
