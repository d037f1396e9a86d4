from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Requests and mediation")

    def ready(self) -> None:
        from casework import tasks  # noqa: F401 - registers the app's job kinds (unionhub.jobkinds)
