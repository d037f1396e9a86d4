from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from api import tasks  # noqa: F401 - registers the app's job kinds (unionhub.jobkinds)
        from api.routers import listed_models
        from api.selectors.finder import cards_watch
        from api.services.deletions import deletions_watch

        # Tombstones for every model the API lists, wherever it is deleted (admin, services, jobs, shell).
        deletions_watch(listed_models())
        # The nearest-stations endpoint's cached cards are dropped when a station or its hours change.
        cards_watch()
