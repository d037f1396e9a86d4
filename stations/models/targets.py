"""Coverage targets: how many stations of a kind a region should have operating by the end of a year."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stations.choices import StationKind
from unionhub.models.regions import Region
from unionhub.scoping import scoped


@scoped(region="region__code")
class CoverageTarget(models.Model):
    """A target such as the Shanxi plan: every county at least 1 labour-relations station in 2025 and 3 by the
    end of 2027; 400 in the province. Progress counts operating stations of the kind inside the region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(_("station kind"), max_length=10, choices=StationKind.choices)
    target = models.PositiveIntegerField(_("target (stations operating)"))
    note = models.CharField(_("source or note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coverage target")
        verbose_name_plural = _("coverage targets")
        ordering = ["region_id", "year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "kind"], name="coveragetarget_one_per_region_year_kind")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.get_kind_display()} ≥ {self.target}"
