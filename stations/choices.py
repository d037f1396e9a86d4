from django.db import models
from django.utils.translation import gettext_lazy as _


class StationKind(models.TextChoices):
    LABOUR_RELATIONS = "labour", _("labour-relations service station")
    REST_STATION = "rest", _("union rest station")
    WORKSHOP = "workshop", _("workshop rest stop")
    WORKERS_HOME = "home", _("workers' home")


class StationStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    BUILDING = "building", _("under construction")
    OPERATING = "operating", _("operating")
    RECTIFYING = "rectifying", _("rectifying")
    DELISTED = "delisted", _("delisted")


# Which status may follow which. Delisting (摘牌) is possible from anywhere and is final.
STATUS_TRANSITIONS = {
    StationStatus.PLANNED: {StationStatus.BUILDING, StationStatus.DELISTED},
    StationStatus.BUILDING: {StationStatus.OPERATING, StationStatus.PLANNED, StationStatus.DELISTED},
    StationStatus.OPERATING: {StationStatus.RECTIFYING, StationStatus.DELISTED},
    StationStatus.RECTIFYING: {StationStatus.OPERATING, StationStatus.DELISTED},
    StationStatus.DELISTED: set(),
}


class OperatingModel(models.TextChoices):
    SELF_RUN = "self", _("self-run")
    INCUBATED = "incubated", _("enterprise-incubated")
    TENDERED = "tendered", _("tendered")
    COMMISSIONED = "commissioned", _("commissioned")


class LiuYou(models.TextChoices):
    """The Shanxi "六有" standard for labour-relations service stations."""

    PLATFORM = "platform", _("a platform (有平台)")
    TEAMS = "teams", _("teams (有队伍)")
    RULES = "rules", _("rules (有制度)")
    FUNDING = "funding", _("funding (有保障)")
    STANDARDS = "standards", _("standards (有标准)")
    RESULTS = "results", _("results (有成效)")


class TeamKind(models.TextChoices):
    MEDIATION = "mediation", _("labour-relations mediation team")
    LEGAL = "legal", _("legal-awareness team")
    BARGAINING = "bargaining", _("collective-bargaining guidance team")
    HEALTH = "health", _("health guidance team")
    LAWYERS = "lawyers", _("worker-rights lawyers team")


class FundingSource(models.TextChoices):
    PROVINCIAL = "provincial", _("provincial federation")
    CITY = "city", _("city federation")
    COUNTY = "county", _("county federation")
    TOWN = "town", _("town or subdistrict union")
    ENTERPRISE = "enterprise", _("enterprise")
    OTHER = "other", _("other")


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

# Minimum floor area by kind, in m² (Shenyang: an independent space of at least 20 m²).
MINIMUM_AREA = {StationKind.WORKSHOP: 20}
