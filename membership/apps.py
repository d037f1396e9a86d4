from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "membership"
    verbose_name = _("Membership")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from membership import hooks, tasks  # noqa: F401 - tasks: registers the app's job kinds (unionhub.jobkinds)
        from membership.models import Member
        from membership.services.members import reveal_log_write
        from membership.views.join import source_cache_clear
        from stations.models import Station
        from unionhub import hooks as page_hooks
        from unionhub.db.county import follow_county
        from unionhub.models.regions import UnionOrganization
        from unionhub.personal import set_reveal_log

        # Every reveal of full numbers, in any app, is logged in membership's table (unionhub.personal).
        set_reveal_log(reveal_log_write)
        page_hooks.register("station_actions", hooks.station_actions)
        page_hooks.register("station_poster_actions", hooks.station_poster_actions)

        # The join page caches QR-code sources per process for a minute; a change here is seen at once.
        for model in (Station, UnionOrganization):
            post_save.connect(source_cache_clear, sender=model, dispatch_uid=f"membership-sources-{model.__name__}")
            post_delete.connect(source_cache_clear, sender=model, dispatch_uid=f"membership-sources-{model.__name__}-d")
        # A union moved to another county takes its members' county column along (unionhub.db.county).
        post_save.connect(follow_county(Member, "union"), sender=UnionOrganization, dispatch_uid="membership-county")
