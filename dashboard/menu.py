"""The admin menu by task, in the order county staff work: members first (the daily queue), then workers'
requests, stations and their logs, ratings, money, and the reference data last."""

from django.utils.translation import gettext_lazy as _

from unionhub.adminsite import MenuGroup

MENU = [
    MenuGroup(
        "g-members",
        _("Joining and members"),
        (
            "membership.membershipapplication",
            "membership.member",
            "membership.rosterimport",
            "membership.membertransfer",
            "membership.reviewbatch",
        ),
    ),
    MenuGroup(
        "g-casework",
        _("Requests and mediation"),
        (
            "casework.workerrequest",
            "casework.mediationcase",
            "casework.agreement",
            "casework.unionhandler",
            "casework.timelimit",
            "casework.calendaroverride",
        ),
    ),
    MenuGroup(
        "g-stations",
        _("Stations and their logs"),
        (
            "stations.station",
            "stations.activity",
            "stations.visitorcount",
            "stations.rectification",
            "stations.coveragetarget",
        ),
    ),
    MenuGroup(
        "g-ratings",
        _("Star ratings"),
        (
            "stations.evaluation",
            "stations.starrating",
            "stations.plaqueevent",
            "stations.stationrating",
            "stations.ratingscheme",
        ),
    ),
    MenuGroup(
        "g-outreach",
        _("Outreach, events and pop-up desks"),
        (
            "outreach.employer",
            "outreach.visit",
            "outreach.outreachteam",
            "outreach.event",
            "outreach.signup",
            "outreach.checkin",
            "outreach.joiningdesk",
            "outreach.serviceproject",
        ),
    ),
    MenuGroup(
        "g-money", _("Subsidies"), ("stations.subsidyrun", "stations.subsidyallocation", "stations.subsidypolicy")
    ),
    MenuGroup(
        "g-reference",
        _("Regions, unions and catalogues"),
        (
            "unionhub.unionorganization",
            "unionhub.region",
            "unionhub.userscope",
            "stations.facility",
            "stations.service",
            "stations.activitykind",
            "unionhub.job",
            "membership.personaldatareveal",
        ),
    ),
    MenuGroup(
        "g-security",
        _("Sign-in records"),
        ("axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"),
        names={
            "axes.accessattempt": _("locked-out sign-in attempts"),
            "axes.accessfailurelog": _("failed sign-ins"),
            "axes.accesslog": _("sign-ins"),
        },
    ),
]
