from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Service stations")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from stations import tasks  # noqa: F401 - registers the app's job kinds (unionhub.jobkinds)
        from stations.models import Station, SubsidyAllocation
        from stations.selectors.registry import managed_station_name
        from unionhub.db.county import follow_county
        from unionhub.people import register_unit_source

        register_unit_source(managed_station_name)

        # A station moved to another county takes its allocations' county column along (unionhub.db.county).
        post_save.connect(follow_county(SubsidyAllocation, "station"), sender=Station, dispatch_uid="stations-county")
