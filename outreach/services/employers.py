"""The employer register: saving an employer (credit code checked and unique), the funnel after a visit, and
founding the union from the employer in one step."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.choices import STAGE_ORDER, Stage
from outreach.models import Employer
from unionhub.models.regions import OrganizationKind, UnionOrganization
from unionhub.scoping import in_scope
from unionhub.validators import normalize_credit_code


def employer_validate(*, employer: Employer) -> None:
    """The employer's own rules plus the register's: the credit code valid and not another employer's, and no
    second employer of the same name in the same town under another code. ValidationError per field."""
    errors: dict[str, list[str]] = {}
    try:
        employer.credit_code = normalize_credit_code(employer.credit_code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    else:
        other = Employer.objects.filter(credit_code=employer.credit_code).exclude(pk=employer.pk).first()
        if other is not None and other.town_id[:6] != (employer.town_id or "")[:6]:
            # Nothing about another county's register: only that the code is taken there.
            errors["credit_code"] = [_("This credit code is registered in another county.")]
        elif other is not None:
            errors["credit_code"] = [_("This credit code is already registered for “%(name)s”.") % {"name": other.name}]
    if employer.name and employer.town_id:
        twin = (
            Employer.objects.filter(town_id=employer.town_id, name=employer.name.strip())
            .exclude(pk=employer.pk)
            .exclude(credit_code=employer.credit_code)
            .first()
        )
        if twin is not None:
            errors.setdefault("name", []).append(
                _("“%(name)s” is already registered in this town under the credit code %(code)s.")
                % {"name": twin.name, "code": twin.credit_code}
            )
    if errors:
        raise ValidationError(errors)
    employer.full_clean(validate_unique=False)


@transaction.atomic
def employer_save(*, employer: Employer, user) -> Employer:
    """Register or update an employer inside the user's reach."""
    employer.name = (employer.name or "").strip()
    employer_validate(employer=employer)
    if not in_scope(employer, user):
        raise ValidationError({"town": _("This town is outside your region.")})
    if employer.union_id and STAGE_ORDER.index(employer.stage) < STAGE_ORDER.index(Stage.FOUNDED):
        employer.stage, employer.stage_changed_at = Stage.FOUNDED, timezone.now()
    employer.save()
    return employer


def employer_advance(*, employer: Employer, stage: str) -> bool:
    """Move the employer along the funnel to ``stage`` if that is further on; never back. Saves; True if moved."""
    if STAGE_ORDER.index(stage) <= STAGE_ORDER.index(employer.stage):
        return False
    employer.stage, employer.stage_changed_at = stage, timezone.now()
    employer.save(update_fields=["stage", "stage_changed_at"])
    return True


def _county_federation(employer: Employer) -> UnionOrganization | None:
    return UnionOrganization.objects.filter(
        region_id=employer.town_id[:6], kind=OrganizationKind.COUNTY_FEDERATION
    ).first()


@transaction.atomic
def employer_found_union(*, employer: Employer, user, name: str = "", chair: str = "") -> UnionOrganization:
    """Found the employer's grassroots union in one step: the union (named after the employer, its credit code,
    in the employer's town, under the county federation) and the employer marked as founded. Refused, with
    nothing written, when the employer already has a union or the credit code already belongs to one."""
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if not in_scope(employer, user):
        raise ValidationError(_("This employer is outside your region."))
    if employer.union_id:
        raise ValidationError(
            _("“%(name)s” already has a union: %(union)s.") % {"name": employer, "union": employer.union}
        )
    existing = UnionOrganization.objects.filter(credit_code=employer.credit_code).first()
    if existing is not None and existing.region_id[:6] != employer.town_id[:6]:
        raise ValidationError(_("A union in another county already carries this credit code."))
    if existing is not None:
        raise ValidationError(
            _("The union “%(union)s” already carries this credit code; link it to the employer instead.")
            % {"union": existing}
        )
    union = UnionOrganization(
        name=(name or f"{employer.name}工会").strip()[:100],
        kind=OrganizationKind.GRASSROOTS,
        region_id=employer.town_id,
        parent=_county_federation(employer),
        employer=employer.name,
        credit_code=employer.credit_code,
        chair=chair.strip()[:50],
    )
    union.full_clean()
    union.save()
    employer.union = union
    employer.stage, employer.stage_changed_at = Stage.FOUNDED, timezone.now()
    employer.save(update_fields=["union", "stage", "stage_changed_at"])
    return union
