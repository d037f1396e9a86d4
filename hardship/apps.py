from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HardshipConfig(AppConfig):
    name = "hardship"
    verbose_name = _("Hardship assistance")

    def ready(self) -> None:
        from hardship import hooks, tasks  # noqa: F401 - tasks: registers the app's job kinds (unionhub.jobkinds)
        from unionhub import hooks as page_hooks

        page_hooks.register("station_actions", hooks.station_actions)
        page_hooks.register("member_actions", hooks.member_actions)
