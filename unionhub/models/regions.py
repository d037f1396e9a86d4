"""Regions, union organisations and user scopes: the core every other app builds on."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Left
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unionhub.scoping import scoped
from unionhub.validators import REGION_CODE_LENGTHS, normalize_credit_code, validate_region_code


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWN = "town", _("town or subdistrict")


@scoped(region="code")
class Region(models.Model):
    """An administrative division keyed by its GB/T 2260 code, shortened to its level.

    Codes nest: province 2 digits (14), city 4 (1405), county 6 (140521), town 9 (140521104). A region's
    subtree is therefore every code that starts with its own, which is how scoping works. The parent is
    derived from the code and kept as a foreign key for joins and the admin."""

    code = models.CharField(_("division code"), max_length=9, primary_key=True, validators=[validate_region_code])
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices, editable=False)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.level = REGION_CODE_LENGTHS.get(len(self.code), self.level)
        self.parent_id = self.parent_code(self.code) if self.code else None
        super().save(*args, **kwargs)

    @staticmethod
    def parent_code(code: str) -> str | None:
        """The code one level up (9 → 6 → 4 → 2 digits), or None for a province."""
        lengths = sorted(REGION_CODE_LENGTHS)
        index = lengths.index(len(code))
        return code[: lengths[index - 1]] if index else None

    def clean(self) -> None:
        validate_region_code(self.code)
        self.level = REGION_CODE_LENGTHS[len(self.code)]
        parent_code = self.parent_code(self.code)
        if parent_code and not Region.objects.filter(code=parent_code).exists():
            raise ValidationError(
                {"code": _("The parent division %(code)s is not registered yet.") % {"code": parent_code}}
            )
        self.parent_id = parent_code

    @property
    def full_name(self) -> str:
        """沁水县嘉峰镇 - the county and town, which is how county staff name a place."""
        if self.level == RegionLevel.TOWN and self.parent_id:
            return f"{self.parent.name}{self.name}"
        return self.name


class OrganizationKind(models.TextChoices):
    PROVINCIAL_FEDERATION = "provincial", _("provincial federation of trade unions")
    CITY_FEDERATION = "city", _("city federation of trade unions")
    COUNTY_FEDERATION = "county", _("county federation of trade unions")
    TOWN_FEDERATION = "town", _("town or subdistrict union")
    INDUSTRY_FEDERATION = "industry", _("industry union federation")
    GRASSROOTS = "grassroots", _("grassroots union")


@scoped(region="region__code")
class UnionOrganization(models.Model):
    """A trade-union body: a federation at some level, an industry union federation, or a grassroots union
    inside one employer. Grassroots unions carry the employer's unified social credit code (GB 32100-2015);
    federations do not need one. A county's holding-pool union (周转库) takes approved members who have no
    grassroots union yet."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=OrganizationKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("region"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent union")
    )
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        help_text=_("18 characters, for the employer of a grassroots union."),
    )
    chair = models.CharField(_("union chair"), max_length=50, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    is_holding_pool = models.BooleanField(
        _("holding pool"), default=False, help_text=_("Takes new members who have no grassroots union yet (周转库).")
    )
    # The county part of the region code, kept by the database. It is what a member's two-column foreign key
    # points at (membership migration 0013): the database keeps every member's own county column equal to it,
    # and carries a union's move to another county over to its members (ON UPDATE CASCADE).
    county = models.GeneratedField(
        expression=Left("region", 6), output_field=models.CharField(max_length=6), db_persist=True
    )
    history = HistoricalRecords(excluded_fields=["county"])

    class Meta:
        verbose_name = _("union organisation")
        verbose_name_plural = _("union organisations")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unionorg_unique_name_in_region"),
            models.UniqueConstraint(fields=["id", "county"], name="unionorg_id_county"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.credit_code:
            try:
                self.credit_code = normalize_credit_code(self.credit_code)
            except ValidationError as exc:
                raise ValidationError({"credit_code": exc.messages}) from None
        else:
            self.credit_code = None
        if self.kind == OrganizationKind.GRASSROOTS and not self.credit_code and not self.is_holding_pool:
            raise ValidationError(
                {"credit_code": _("A grassroots union needs its employer's unified social credit code.")}
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A union cannot be its own parent.")})
        if self.parent_id and self.region_id and not self.region_id.startswith(self.parent.region_id):
            raise ValidationError({"parent": _("The parent union must be in the same region or above it.")})


class Role(models.TextChoices):
    """The roles, each a Django group whose permissions come from ``unionhub.roles``."""

    REGIONAL_STAFF = "regional_staff", _("city or provincial staff")
    COUNTY_STAFF = "county_staff", _("county staff")
    STATION_MANAGER = "station_manager", _("station manager")
    INSPECTOR = "inspector", _("inspector")
    UNION_HANDLER = "union_handler", _("union chair or desk")


@scoped(region="region__code")
class UserScope(models.Model):
    """Where a staff user works: the root of the region subtree they see. Station managers usually have no
    region; they see the stations that list them as managers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scope", verbose_name=_("user")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user scope")
        verbose_name_plural = _("user scopes")

    def __str__(self) -> str:
        return f"{self.user} @ {self.region or '-'}"
