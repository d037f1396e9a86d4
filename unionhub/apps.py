from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from unionhub.db import checks  # noqa: F401 - registers the database checks (it imports no model)


def _sync_roles(sender, using="default", **kwargs):
    from unionhub.roles import sync_roles

    sync_roles(using=using)


class UnionhubConfig(AppConfig):
    name = "unionhub"
    verbose_name = _("Regions and unions")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from unionhub import files, scoping, tasks  # noqa: F401 - tasks: registers the core's job kinds
        from unionhub.people import person_label

        # A user reads as a person everywhere - name and unit, never the login (unionhub.people).
        get_user_model().__str__ = person_label

        # Users are scoped by the region of their UserScope, so county staff pick station managers from
        # their own county only.
        scoping.register(get_user_model(), region="scope__region__code")
        # Once per migrate; sync_roles creates the permissions of every domain app itself, so it does not
        # matter that the other apps' post_migrate handlers have not run yet.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="sync_roles")
        # A deleted photo, attachment, roster or export takes its file with it (after commit).
        files.connect()
