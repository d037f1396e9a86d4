"""Vacancies: posting (a station for an employer), the 监督核查 check that publishes or refuses, filling and
withdrawing. Rules live here; the admin's form calls ``vacancy_validate`` in its ``clean``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employment.choices import PayBasis, VacancyStatus
from employment.models import Vacancy, VacancyCheck
from employment.selectors.employers import registered_employer
from employment.selectors.standing import open_wage_requests
from employment.selectors.wages import minimum_wage_for
from employment.services.screening import discriminatory_reasons
from membership.choices import Occupation
from unionhub.money import to_fen
from unionhub.scoping import in_scope
from unionhub.validators import normalize_credit_code

EDITABLE = (
    "employer",
    "employer_name",
    "employer_credit_code",
    "title",
    "occupation",
    "posts",
    "pay_basis",
    "pay_min",
    "pay_max",
    "monthly_estimate",
    "daily_hours",
    "town",
    "latitude",
    "longitude",
    "requirements",
    "contact",
    "contact_phone",
    "valid_until",
)


def vacancy_validate(*, vacancy: Vacancy, today: dt.date | None = None) -> None:
    """Bad input, field by field, in Chinese: no pay or an impossible range, a past date, an unknown occupation,
    piece pay without the usual monthly earnings, a wrong credit code. Sets the comparable monthly pay."""
    today = today or timezone.localdate()
    errors: dict[str, str] = _employer_errors(vacancy)
    if vacancy.occupation not in Occupation.values:
        errors["occupation"] = _("Choose an occupation from the list.")
    if vacancy.pay_min is None or vacancy.pay_max is None or vacancy.pay_min <= 0:
        errors["pay_min"] = _("Give the pay: from and up to, in yuan.")
    elif vacancy.pay_max < vacancy.pay_min:
        errors["pay_max"] = _("The pay up to cannot be less than the pay from.")
    if vacancy.pay_basis != PayBasis.MONTHLY and not vacancy.monthly_estimate:
        errors["monthly_estimate"] = _("For pay per piece or per order, give the usual monthly earnings.")
    if vacancy.valid_until is None or vacancy.valid_until < today:
        errors["valid_until"] = _("The vacancy must be valid until today or later.")
    if not vacancy.posts:
        errors["posts"] = _("Give the number of posts (at least 1).")
    if vacancy.town_id and vacancy.station_id and vacancy.town_id[:6] != vacancy.station.region_id[:6]:
        errors["town"] = _("The work must be in the station's county.")
    if errors:
        raise ValidationError(errors)
    if vacancy.pay_basis == PayBasis.MONTHLY:
        vacancy.monthly_high = to_fen(vacancy.pay_max)
    else:
        vacancy.monthly_high = to_fen(vacancy.monthly_estimate)
    if vacancy.latitude is None and vacancy.station.latitude is not None:
        vacancy.latitude, vacancy.longitude = vacancy.station.latitude, vacancy.station.longitude


def _employer_errors(vacancy: Vacancy) -> dict[str, str]:
    """The employer: from the register (its name and code copied; a typed code must be the register's), or typed
    (name and a checked credit code), then linked to the register when the code is there for the station's
    county. An employer of another county is neither chosen nor named."""
    errors: dict[str, str] = {}
    county = vacancy.station.region_id[:6] if vacancy.station_id else None
    employer = vacancy.employer
    if employer is not None and (county is None or not employer.town_id.startswith(county)):
        return {"employer": _("Choose an employer of the station's county from the register.")}
    if vacancy.employer_credit_code:
        try:
            vacancy.employer_credit_code = normalize_credit_code(vacancy.employer_credit_code)
        except ValidationError as exc:
            errors["employer_credit_code"] = exc.messages[0]
    if employer is not None:
        if vacancy.employer_credit_code and vacancy.employer_credit_code != employer.credit_code and not errors:
            errors["employer_credit_code"] = _(
                "This credit code is not the one of the employer chosen from the register (%(code)s)."
            ) % {"code": employer.credit_code}
        vacancy.employer_credit_code = vacancy.employer_credit_code or employer.credit_code
        vacancy.employer_name = vacancy.employer_name or employer.name
        return errors
    if not vacancy.employer_name:
        errors["employer_name"] = _("Choose the employer from the register, or type its name and credit code.")
    if not vacancy.employer_credit_code:
        errors.setdefault("employer_credit_code", _("Give the employer's unified social credit code."))
    if not errors and county:
        vacancy.employer = registered_employer(vacancy.employer_credit_code, county)
    return errors


def vacancy_post(*, station, user=None, today: dt.date | None = None, **fields) -> Vacancy:
    """A new vacancy, waiting for the check. ``user`` (when given) must reach the station."""
    vacancy = Vacancy(station=station, created_by=user, **{k: v for k, v in fields.items() if k in EDITABLE})
    if user is not None and not in_scope(vacancy, user):
        raise PermissionDenied
    vacancy_validate(vacancy=vacancy, today=today)
    with transaction.atomic():
        vacancy.save()
    return vacancy


def vacancy_check_reasons(*, vacancy: Vacancy, good_standing: bool, today: dt.date) -> tuple[list[str], Decimal | None]:
    """Why the vacancy may not be published (empty: it may), and the minimum wage it was held to."""
    reasons = []
    minimum = minimum_wage_for(vacancy.town_id, today)
    floor = vacancy.pay_min if vacancy.pay_basis == PayBasis.MONTHLY else vacancy.monthly_estimate
    if minimum is None:
        reasons.append(_("No local minimum wage is recorded for this county; record it before checking vacancies."))
    elif floor is not None and floor < minimum:
        reasons.append(
            _("The pay (%(pay)s yuan a month) is below the local minimum wage of %(minimum)s yuan a month.")
            % {"pay": floor, "minimum": minimum}
        )
    reasons += discriminatory_reasons(f"{vacancy.title}\n{vacancy.requirements}")
    arrears = open_wage_requests(vacancy.employer_credit_code)
    if arrears:
        reasons.append(
            _("The employer has %(n)s open workers' requests about wages owed at the union.") % {"n": arrears}
        )
    if not good_standing:
        reasons.append(_("The employer's standing (licence, no wage arrears) was not confirmed."))
    return reasons, minimum


def vacancy_check_reasons_preview(*, vacancy: Vacancy, today: dt.date | None = None) -> dict:
    """What the check would find (the employer's standing taken as confirmed): for the check page."""
    reasons, minimum = vacancy_check_reasons(vacancy=vacancy, good_standing=True, today=today or timezone.localdate())
    return {"reasons": reasons, "minimum": minimum}


def vacancy_check(*, vacancy: Vacancy, user, good_standing: bool, today: dt.date | None = None) -> VacancyCheck:
    """The 监督核查: publish the vacancy, or refuse it with the reasons; either way the check is recorded."""
    today = today or timezone.localdate()
    if user is not None and not in_scope(vacancy, user):
        raise PermissionDenied
    if vacancy.status not in (VacancyStatus.DRAFT, VacancyStatus.REFUSED):
        raise ValidationError(_("Only a vacancy waiting for the check (or refused and corrected) is checked."))
    vacancy_validate(vacancy=vacancy, today=today)
    reasons, minimum = vacancy_check_reasons(vacancy=vacancy, good_standing=good_standing, today=today)
    with transaction.atomic():
        check = VacancyCheck.objects.create(
            vacancy=vacancy,
            passed=not reasons,
            minimum_wage=minimum,
            good_standing=good_standing,
            reasons="\n".join(reasons),
            checked_by=user,
        )
        vacancy.status = VacancyStatus.REFUSED if reasons else VacancyStatus.PUBLISHED
        vacancy.save(
            update_fields=[
                "status",
                "employer",
                "employer_name",
                "employer_credit_code",
                "monthly_high",
                "latitude",
                "longitude",
            ]
        )
    return check


def vacancy_close(*, vacancy: Vacancy, user, status: str) -> Vacancy:
    """Mark a vacancy filled or withdrawn: it leaves the public lists."""
    if status not in (VacancyStatus.FILLED, VacancyStatus.WITHDRAWN):
        raise ValidationError(_("A vacancy is closed as filled or withdrawn."))
    if user is not None and not in_scope(vacancy, user):
        raise PermissionDenied
    vacancy.status = status
    vacancy.save(update_fields=["status"])
    return vacancy


def vacancy_save(*, vacancy: Vacancy, user, changed: list[str] | tuple[str, ...] = ()) -> Vacancy:
    """Saves a vacancy as staff entered it (its fields already validated by ``vacancy_validate``). A published
    vacancy changed afterwards goes back to draft: its pay or wording is checked again (监督核查) before
    workers see it."""
    if vacancy.pk is None:
        vacancy.created_by = user
    elif changed and vacancy.status == VacancyStatus.PUBLISHED:
        vacancy.status = VacancyStatus.DRAFT
    vacancy.save()
    return vacancy
