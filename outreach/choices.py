"""Choices of the outreach app: the funnel, employer sizes, visit outcomes, check-in results, project measures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The funnel an employer moves along: 未联系 → 已走访 → 有意愿 → 已建会 → 会员已入会."""

    NOT_CONTACTED = "none", _("not contacted")
    VISITED = "visited", _("visited")
    WILLING = "willing", _("willing")
    FOUNDED = "founded", _("union founded")
    JOINED = "joined", _("members joined")


STAGE_ORDER = [s.value for s in Stage]


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("manufacturing")
    LIQUOR = "liquor", _("liquor making")
    MINING = "mining", _("mining and energy")
    CONSTRUCTION = "construction", _("construction")
    LOGISTICS = "logistics", _("logistics and delivery")
    RETAIL = "retail", _("retail and catering")
    SERVICES = "services", _("services")
    AGRICULTURE = "agriculture", _("agriculture")
    OTHER = "other", _("other")


class VisitOutcome(models.TextChoices):
    """What the visit found: the stage the employer is at after it."""

    VISITED = "visited", _("no decision yet")
    WILLING = "willing", _("willing to found a union")
    REFUSED = "refused", _("refused for now")


class ScanResult(models.TextChoices):
    OK = "ok", _("checked in")
    DUPLICATE = "duplicate", _("already checked in")
    REFUSED = "refused", _("refused")


class Measure(models.TextChoices):
    """How a service project's progress is counted."""

    EVENTS = "events", _("events held")
    PARTICIPANTS = "participants", _("participants checked in")
    VISITS = "visits", _("employers visited")
    UNIONS = "unions", _("unions founded")
    APPLICATIONS = "applications", _("applications at the project's desks")
