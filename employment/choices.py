"""Choices of employment: how pay is counted, where a vacancy stands, where a wish came from, outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PayBasis(models.TextChoices):
    MONTHLY = "monthly", _("per month")
    PIECE = "piece", _("per piece")
    ORDER = "order", _("per order")


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("waiting for the check")
    PUBLISHED = "published", _("published")
    REFUSED = "refused", _("refused at the check")
    FILLED = "filled", _("filled")
    WITHDRAWN = "withdrawn", _("withdrawn")


class WishSource(models.TextChoices):
    PHONE = "phone", _("filed on a phone at a station")
    QUESTIONNAIRE = "questionnaire", _("from a questionnaire")
    IMPORT = "import", _("spreadsheet import")
    STAFF = "staff", _("entered by staff")


class WishStatus(models.TextChoices):
    OPEN = "open", _("looking for work")
    PLACED = "placed", _("placed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Outcome(models.TextChoices):
    PENDING = "pending", _("no outcome yet")
    HIRED = "hired", _("hired")
    NOT_HIRED = "not_hired", _("not hired")
    NO_SHOW = "no_show", _("did not come")


class SheetSize(models.TextChoices):
    A4 = "a4", _("A4 sheet")
    POSTER = "poster", _("poster (A2)")


class FairKind(models.TextChoices):
    GENERAL = "general", _("job fair")
    NEW_FORMS = "new_forms", _("fair for new-form workers")
    GROUP_4050 = "4050", _("fair for the 4050 group")
    FAMILIES = "families", _("fair for families of disabled or struggling workers")


WISH_DAYS = 90  # a wish stays open this long unless renewed
MATCH_RADIUS_KM = 30  # beyond this distance a match earns nothing for distance
