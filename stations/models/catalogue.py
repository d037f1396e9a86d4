"""Catalogues county staff extend: facilities, services and activity kinds.

Entries with no region are the shared, built-in catalogue (seeded from the source articles) that every county
sees; a county adds its own entries, which only it sees."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unionhub.models.regions import Region
from unionhub.scoping import scoped


class CatalogueEntry(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for the shared catalogue; a county's own entries carry the county."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


@scoped(region="region__code", shared=True)
class Facility(CatalogueEntry):
    """Something a station has: a microwave, a toilet, e-bike charging. ``required_for`` lists the station
    kinds for which it is part of the basic standard (Haikou's list for rest stations, Shenyang's for workshop
    rest stops)."""

    required_for = models.JSONField(_("required for station kinds"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")


@scoped(region="region__code", shared=True)
class Service(CatalogueEntry):
    """Something a station offers: legal consultation, job postings, book lending."""

    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")


@scoped(region="region__code", shared=True)
class ActivityKind(CatalogueEntry):
    """A kind of activity a station holds: 送清凉, 送温暖, free clinic, film night, …"""

    history = HistoricalRecords()

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
