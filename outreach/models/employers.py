"""The employers a county means to reach: the market-regulation list, keyed by the unified social credit code."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outreach.choices import STAGE_ORDER, Industry, Stage
from unionhub.models.regions import Region, RegionLevel, UnionOrganization
from unionhub.scoping import scoped
from unionhub.validators import normalize_credit_code


@scoped(region="town__code")
class Employer(models.Model):
    """An employer in a town (or park): how many work there, whether they have a union (and which), and where
    the outreach funnel stands. ``workers`` is what coverage counts."""

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=100)
    town = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("town or subdistrict"),
        limit_choices_to={"level": RegionLevel.TOWN},
    )
    industry = models.CharField(_("industry"), max_length=16, choices=Industry.choices, default=Industry.OTHER)
    workers = models.PositiveIntegerField(_("workers"), default=0)
    is_platform = models.BooleanField(_("platform company"), default=False)
    union = models.ForeignKey(
        UnionOrganization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_employers",
        verbose_name=_("union"),
    )
    stage = models.CharField(_("funnel stage"), max_length=8, choices=Stage.choices, default=Stage.NOT_CONTACTED)
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["town_id", "name"]
        indexes = [
            models.Index(fields=["town", "stage"], name="employer_town_stage"),
            models.Index(fields=["name"], name="employer_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_union(self) -> bool:
        return self.union_id is not None

    def clean(self) -> None:
        if self.credit_code:
            try:
                self.credit_code = normalize_credit_code(self.credit_code)
            except ValidationError as exc:
                raise ValidationError({"credit_code": exc.messages}) from None
        if self.stage in (Stage.FOUNDED, Stage.JOINED) and not self.union_id:
            raise ValidationError({"union": _("An employer whose union is founded names that union.")})

    def stage_at_least(self, stage: str) -> bool:
        return STAGE_ORDER.index(self.stage) >= STAGE_ORDER.index(stage)
