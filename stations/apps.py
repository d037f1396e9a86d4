from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Service stations")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from stations.models import Station
        from stations.services.subsidies import allocations_follow_station

        post_save.connect(allocations_follow_station, sender=Station, dispatch_uid="stations-county")
