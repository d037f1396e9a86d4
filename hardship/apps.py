from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HardshipConfig(AppConfig):
    name = "hardship"
    verbose_name = _("Hardship assistance")

    def ready(self) -> None:
        from hardship import tasks  # noqa: F401 - registers the app's job kinds (unionhub.jobkinds)
