from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("Jobs at the stations")

    def ready(self) -> None:
        from employment import hooks, tasks  # noqa: F401 - tasks: registers the app's job kinds (unionhub.jobkinds)
        from unionhub import hooks as page_hooks

        page_hooks.register("station_actions", hooks.station_actions)
        page_hooks.register("finder_actions", hooks.finder_actions)
        page_hooks.register("dashboard_sections", hooks.dashboard_jobs)
        page_hooks.register_figures("dashboard_sections", "employment", hooks.dashboard_jobs_figures)
