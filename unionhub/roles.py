"""The roles and their permissions, as data.

Each role is a Django group. The groups are created by a data migration and their permissions are brought up
to date after every ``migrate`` (a post_migrate handler), so that a model added by a later migration gets its
permissions without a new migration per role. What a role may do is decided here; *which rows* it may do it
to is decided by ``unionhub.scoping``.
"""

from __future__ import annotations

from unionhub.models.regions import Role

GROUP_NAMES = {
    Role.REGIONAL_STAFF: "市、省级工作人员",
    Role.COUNTY_STAFF: "县级工作人员",
    Role.STATION_MANAGER: "站点管理员",
    Role.INSPECTOR: "评估员",
    Role.UNION_HANDLER: "工会主席及窗口人员",
}

# The apps whose models the roles' permissions cover (ALL below). The hardship register is kept by county
# staff and read by the city and province; the API's and jobs' own lines are further down.
DOMAIN_APPS = ("unionhub", "stations", "membership", "casework", "hardship", "outreach")
ALL = "*"

# model label (or ALL: every model of DOMAIN_APPS) -> actions; later entries override ALL for one model.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.REGIONAL_STAFF: {
        ALL: ("view",),
        # Province and city staff load next year's holidays for every county below them (casework's clock).
        "casework.calendaroverride": ("view", "add", "change", "delete"),
    },
    Role.COUNTY_STAFF: {
        ALL: ("view", "add", "change", "delete"),
        "unionhub.region": ("view",),
        "unionhub.userscope": ("view",),
        # Jobs are written by the system; staff follow them.
        "unionhub.job": ("view",),
        # Messages are written by the system; staff read what was sent to whom (mobile numbers masked).
        "unionhub.message": ("view",),
        # Applications come only from the public join page; the decision log and the reveal log are records.
        "membership.membershipapplication": ("view", "change"),
        # Members leave by a status change with its reason, never by deletion.
        "membership.member": ("view", "add", "change"),
        "membership.reviewbatch": ("view",),
        "membership.personaldatareveal": ("view",),
        # Exports are written by their job; staff start them from the member list and follow them.
        "membership.memberexport": ("view",),
        # Requests come from workers, or are registered by staff for them (by phone, in person, by letter); they
        # change only through the handling actions (the change permission).
        "casework.workerrequest": ("view", "add", "change"),
        "casework.requestevent": ("view",),
        "casework.requestattachment": ("view",),
        # Referrals are made by the handling actions; staff record their follow-up.
        "casework.referral": ("view", "change"),
        # Written by the calendar import: which years are loaded, and how many due dates that recalculated.
        "casework.calendaryear": ("view",),
        # Outreach: sign-ups come from phones and scans from the door; staff read and cancel them.
        "outreach.signup": ("view", "change"),
        "outreach.checkin": ("view",),
    },
    # A union chair or a federation desk at any level (grassroots, county, city, province): the requests held by
    # the unions they serve or assigned to them (the handler paths of ``unionhub.scoping``). Given by the union
    # they serve: adding someone as a union's handler puts them in this group (casework.services.handlers).
    Role.UNION_HANDLER: {
        "casework.workerrequest": ("view", "add", "change"),
        "casework.requestevent": ("view",),
        "casework.requestattachment": ("view",),
        # Referrals are made by the handling actions; the handler records their follow-up.
        "casework.referral": ("view", "change"),
    },
    Role.STATION_MANAGER: {
        "stations.station": ("view", "change"),
        # The notices their own stations were given: what to put right, by when.
        "stations.rectification": ("view",),
        "stations.activity": ("view", "add", "change", "delete"),
        "stations.visitorcount": ("view", "add", "change", "delete"),
        # The station's desk (which also registers requests for workers who come in) and its mediation team.
        "casework.workerrequest": ("view", "add", "change"),
        "casework.requestevent": ("view",),
        "casework.requestattachment": ("view",),
        "casework.referral": ("view", "change"),
        "casework.mediationcase": ("view", "add", "change"),
        "casework.party": ("view", "add", "change", "delete"),
        "casework.claimitem": ("view", "add", "change", "delete"),
        "casework.meeting": ("view", "add", "change", "delete"),
        "casework.casemediator": ("view", "add", "change", "delete"),
        "casework.agreement": ("view", "add", "change"),
        "casework.instalment": ("view", "add", "change"),
        "casework.agreementamendment": ("view", "add"),
        "casework.enforcementstep": ("view", "add", "change"),
        # Outreach: the station's own events, their sign-ups, and the check-in at the door.
        "outreach.event": ("view", "add", "change"),
        "outreach.signup": ("view",),
        "outreach.checkin": ("view", "add"),
    },
    Role.INSPECTOR: {
        "stations.station": ("view",),
        "stations.rectification": ("view", "add"),
        # Star ratings: inspectors score; county staff approve (ROLE_EXTRA_PERMISSIONS).
        "stations.ratingscheme": ("view",),
        "stations.indicator": ("view",),
        "stations.evaluation": ("view", "add", "change"),
        "stations.indicatorscore": ("view", "add", "change"),
        "stations.starrating": ("view",),
        "stations.plaqueevent": ("view",),
        "stations.stationrating": ("view",),
    },
}

# Extra, non-CRUD permissions (codename, app label) per role.
ROLE_EXTRA_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.COUNTY_STAFF: (
        "stations.approve_evaluation",
        "stations.approve_subsidyrun",
        "membership.reveal_personal_data",
    ),
    # A station's desk and mediators must be able to call the workers and parties of its own requests and
    # cases: they see them masked, and each reveal of a number is logged (unionhub.personal).
    Role.STATION_MANAGER: ("membership.reveal_personal_data",),
    # A chair or desk calls the worker back the same way.
    Role.UNION_HANDLER: ("membership.reveal_personal_data",),
}


# The API (api/): staff see the API tokens of the accounts in their reach (which platforms read their county's
# data, and when they last did); only superusers make and revoke them. Workers' mini-program sessions are
# nobody's to read in the admin.
DOMAIN_APPS += ("api",)
for _role in (Role.REGIONAL_STAFF, Role.COUNTY_STAFF):
    ROLE_PERMISSIONS[_role].update({"api.apitoken": ("view",), "api.workersession": (), "api.mobilecode": ()})
# Jobs at the stations (employment): county staff have every permission through ALL; a station manager posts
# vacancies for the station, takes workers' job wishes, refers and records outcomes, prints the job sheets.
DOMAIN_APPS += ("employment",)
ROLE_PERMISSIONS[Role.STATION_MANAGER].update(
    {
        "employment.vacancy": ("view", "add", "change"),
        "employment.jobwish": ("view", "add", "change"),
        "employment.referral": ("view", "change"),
        "employment.jobsheet": ("view",),
        "employment.jobfair": ("view",),
    }
)
ROLE_PERMISSIONS[Role.COUNTY_STAFF].update(
    {"employment.vacancycheck": ("view",), "employment.referral": ("view", "change"), "employment.jobsheet": ("view",)}
)


def permissions_for(role: str, models) -> set[tuple[str, str]]:
    """(app_label, codename) pairs for a role, given the domain models that exist."""
    spec = ROLE_PERMISSIONS[role]
    wanted: set[tuple[str, str]] = set()
    for model in models:
        label = model._meta.label_lower
        actions = spec.get(label, spec.get(ALL, ()))
        for action in actions:
            wanted.add((model._meta.app_label, f"{action}_{model._meta.model_name}"))
    for permission in ROLE_EXTRA_PERMISSIONS.get(role, ()):
        app_label, codename = permission.split(".")
        wanted.add((app_label, codename))
    return wanted


def sync_roles(using: str = "default") -> None:
    """Create the role groups if missing and set their permissions exactly."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    domain_models = []
    for label in DOMAIN_APPS:
        config = apps.get_app_config(label)
        create_permissions(config, verbosity=0, using=using)
        domain_models += [m for m in config.get_models() if not m.__name__.startswith("Historical")]

    for role, group_name in GROUP_NAMES.items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        wanted = permissions_for(role, domain_models)
        if not wanted:
            group.permissions.clear()
            continue
        query = Q()
        for app_label, codename in wanted:
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.using(using).filter(query))
