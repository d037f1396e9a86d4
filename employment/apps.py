from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("Jobs at the stations")

    def ready(self) -> None:
        from employment import tasks  # noqa: F401 - registers the app's job kinds (unionhub.jobkinds)
