"""Service projects claimed by owner units, with a target and a measure (Changsha county's claimed projects,
Funing's "六个100")."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from outreach.choices import Measure
from unionhub.models.regions import Region, RegionLevel
from unionhub.scoping import scoped


@scoped(region="county__code")
class ServiceProject(models.Model):
    """A project for the year: who owns it, what it aims at and how progress is counted - from the events,
    visits and desks linked to it, never typed in."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    county = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
        limit_choices_to={"level": RegionLevel.COUNTY},
    )
    owner = models.CharField(_("owner unit"), max_length=100)
    target = models.PositiveIntegerField(_("target"), validators=[MinValueValidator(1)])
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    headline = models.BooleanField(
        _("county headline target"), default=False, help_text=_("One of the county's “六个100”-style targets.")
    )

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["-year", "-headline", "title"]
        constraints = [models.UniqueConstraint(fields=["county", "year", "title"], name="project_unique_title")]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"
