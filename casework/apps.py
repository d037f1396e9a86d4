from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Requests and mediation")

    def ready(self) -> None:
        from casework import hooks, tasks  # noqa: F401 - tasks: registers the app's job kinds (unionhub.jobkinds)
        from casework.selectors.reach import desk_unit
        from unionhub import hooks as page_hooks
        from unionhub.people import register_unit_source

        register_unit_source(desk_unit)

        page_hooks.register("station_actions", hooks.station_actions)
        page_hooks.register("finder_actions", hooks.finder_actions)
