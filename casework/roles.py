"""What each role may do with casework models, added to the role groups after every migrate.

``unionhub.roles`` lists the domain apps whose permissions it sets; until ``casework`` joins that list (the
integrator's one-line change, with this table moved there) this module adds casework's permissions to the
same groups, after unionhub's sync has run."""

from __future__ import annotations

from unionhub.models import Role
from unionhub.roles import GROUP_NAMES

CRUD = ("view", "add", "change", "delete")

CASEWORK_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.REGIONAL_STAFF: dict.fromkeys(
        (
            "workerrequest",
            "requestevent",
            "referral",
            "requestattachment",
            "mediationcase",
            "party",
            "claimitem",
            "meeting",
            "casemediator",
            "agreement",
            "instalment",
            "timelimit",
            "calendaroverride",
            "unionhandler",
        ),
        ("view",),
    ),
    Role.COUNTY_STAFF: {
        # Requests come from workers and change only through the handling actions (the change permission).
        "workerrequest": ("view", "change"),
        "requestevent": ("view",),
        "requestattachment": ("view",),
        "referral": ("view",),
        "mediationcase": CRUD,
        "party": CRUD,
        "claimitem": CRUD,
        "meeting": CRUD,
        "casemediator": CRUD,
        "agreement": CRUD,
        "instalment": CRUD,
        "timelimit": CRUD,
        "calendaroverride": CRUD,
        "unionhandler": CRUD,
    },
    Role.STATION_MANAGER: {
        # The station's desk and its mediation team.
        "workerrequest": ("view", "change"),
        "requestevent": ("view",),
        "requestattachment": ("view",),
        "referral": ("view",),
        "mediationcase": ("view", "add", "change"),
        "party": CRUD,
        "claimitem": CRUD,
        "meeting": CRUD,
        "casemediator": CRUD,
        "agreement": ("view", "add", "change"),
        "instalment": ("view", "add", "change"),
    },
}


def sync_casework_roles(using: str = "default") -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    create_permissions(apps.get_app_config("casework"), verbosity=0, using=using)
    for role, spec in CASEWORK_PERMISSIONS.items():
        group = Group.objects.using(using).filter(name=GROUP_NAMES[role]).first()
        if group is None:
            continue
        codenames = [f"{action}_{model}" for model, actions in spec.items() for action in actions]
        wanted = Permission.objects.using(using).filter(content_type__app_label="casework", codename__in=codenames)
        stale = group.permissions.filter(content_type__app_label="casework").exclude(pk__in=wanted)
        group.permissions.remove(*stale)
        group.permissions.add(*wanted)
