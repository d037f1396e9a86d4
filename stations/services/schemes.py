"""Rating schemes (评星标准) and their versions: a scheme in use is never edited, a new version is made;
activating a version retires the one it replaces."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _

from stations.models import (
    RatingScheme,
    Station,
)
from stations.models.ratings import (
    SchemeStatus,
)

# --- schemes ---------------------------------------------------------------------------------------------


def scheme_total_points(scheme: RatingScheme) -> Decimal:
    return scheme.indicators.aggregate(total=Sum("max_points"))["total"] or Decimal("0")


def scheme_for_station(station: Station) -> RatingScheme | None:
    """The scheme in use for a station's kind: a county's (or town's) own version before the shared default,
    then the highest version. None when no scheme in use covers the kind."""
    code = station.region_id or ""
    prefixes = [code[:n] for n in (2, 4, 6, 9) if len(code) >= n]
    schemes = RatingScheme.objects.filter(status=SchemeStatus.ACTIVE).filter(
        Q(region__isnull=True) | Q(region_id__in=prefixes)
    )
    fitting = [s for s in schemes if station.kind in (s.kinds or [])]
    if not fitting:
        return None
    return max(fitting, key=lambda s: (len(s.region_id or ""), s.version, s.pk))


def scheme_save(*, scheme: RatingScheme) -> RatingScheme:
    """Validate and save a scheme. A scheme that is (or was) in use is never changed in place: refused, with
    a pointer to making a new version."""
    if scheme.pk:
        stored = RatingScheme.objects.filter(pk=scheme.pk).values_list("status", flat=True).first()
        if stored and stored != SchemeStatus.DRAFT:
            raise ValidationError(_("A scheme in use cannot be changed. Make a new version and edit that."))
    scheme.full_clean()
    scheme.save()
    return scheme


@transaction.atomic
def scheme_new_version(*, scheme: RatingScheme, region_code: str | None = None) -> RatingScheme:
    """A draft copy of ``scheme`` (with its indicators) numbered after the family's highest version. It
    belongs to ``region_code`` when given (a county making its own version of a shared scheme), else to the
    scheme's own region."""
    latest = RatingScheme.objects.filter(code=scheme.code).aggregate(v=Max("version"))["v"] or 0
    new = RatingScheme(
        code=scheme.code,
        version=latest + 1,
        name=scheme.name,
        kinds=list(scheme.kinds),
        region_id=region_code if region_code is not None else scheme.region_id,
        status=SchemeStatus.DRAFT,
        thresholds=list(scheme.thresholds),
        validity_years=scheme.validity_years,
        description=scheme.description,
    )
    new.full_clean()
    new.save()
    for indicator in scheme.indicators.all():
        indicator.pk = None
        indicator.id = None
        indicator.scheme = new
        indicator.save()
    return new


@transaction.atomic
def scheme_activate(*, scheme: RatingScheme) -> RatingScheme:
    """Put a draft in use; the family's version in use for the same region retires (its past evaluations
    keep it). Refused for a scheme without indicators or whose five-star minimum exceeds its total points."""
    scheme = RatingScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status != SchemeStatus.DRAFT:
        raise ValidationError(_("Only a draft scheme can be put in use."))
    total = scheme_total_points(scheme)
    if not total:
        raise ValidationError(_("The scheme has no indicators."))
    if Decimal(str(scheme.thresholds[-1])) > total:
        raise ValidationError(
            _("The five-star minimum (%(min)s) is more than the scheme's total points (%(total)s).")
            % {"min": scheme.thresholds[-1], "total": total}
        )
    RatingScheme.objects.filter(code=scheme.code, region_id=scheme.region_id, status=SchemeStatus.ACTIVE).update(
        status=SchemeStatus.RETIRED
    )
    scheme.status = SchemeStatus.ACTIVE
    scheme.save(update_fields=["status"])
    return scheme
