"""The register's rules: filing an application, the steps to getting on file (visit, democratic review, public
notice with objections, county approval), leaving the register, and the check across counties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hardship.models import (
    Cause,
    CountyCriteria,
    Household,
    HouseholdEvent,
    HouseholdPerson,
    HouseholdStatus,
    IncomeSource,
    Layer,
    Objection,
    Source,
    Step,
)
from hardship.services import notify
from hardship.services.evidence import evidence_add, evidence_check
from unionhub.validators import normalize_mobile, normalize_resident_id

# A household still in the process or on file holds its ID numbers: nobody else may file them.
ACTIVE_STATUSES = (
    HouseholdStatus.APPLIED,
    HouseholdStatus.VISITED,
    HouseholdStatus.REVIEWED,
    HouseholdStatus.NOTICE,
    HouseholdStatus.ON_FILE,
)
ELSEWHERE = "已在其他地区建档"


def criteria_for(*, county: str, year: int) -> CountyCriteria | None:
    return CountyCriteria.objects.filter(county_id=county, year=year).first()


def layer_by_income(*, criteria: CountyCriteria, income_per_head_month: Decimal) -> str | None:
    """The layer the county's thresholds put a monthly income per head in (None: above both)."""
    if income_per_head_month < criteria.threshold(Layer.DEEP):
        return Layer.DEEP
    if income_per_head_month < criteria.threshold(Layer.RELATIVE):
        return Layer.RELATIVE
    return None


def filed_elsewhere(*, resident_ids: list[str], county: str, exclude_pk: int | None = None) -> bool:
    """Whether any of the ID numbers is in an active household of another county (the whole database: the
    answer is only yes or no, nothing about the other file)."""
    ids = [rid for rid in resident_ids if rid]
    if not ids:
        return False
    heads = Household.objects.filter(resident_id__in=ids, status__in=ACTIVE_STATUSES).exclude(county=county)
    people = HouseholdPerson.objects.filter(resident_id__in=ids, household__status__in=ACTIVE_STATUSES).exclude(
        household__county=county
    )
    if exclude_pk:
        heads = heads.exclude(pk=exclude_pk)
        people = people.exclude(household_id=exclude_pk)
    return heads.exists() or people.exists()


def filed_here(*, resident_ids: list[str], county: str, exclude_pk: int | None = None) -> bool:
    ids = [rid for rid in resident_ids if rid]
    heads = Household.objects.filter(resident_id__in=ids, status__in=ACTIVE_STATUSES, county=county)
    if exclude_pk:
        heads = heads.exclude(pk=exclude_pk)
    return bool(ids) and heads.exists()


def household_check(
    *, household: Household, people: list[dict] | None = None, incomes: list[Decimal] | None = None
) -> None:
    """Every rule on a household's facts, as errors by field (nothing is written): a valid ID not on file in
    another county (the second county reads only "已在其他地区建档") nor twice here, a valid mobile, income
    that adds up to its sources, people at least as many as listed."""
    errors: dict[str, list[str]] = {}
    try:
        household.resident_id = normalize_resident_id(household.resident_id)
    except ValidationError as exc:
        errors.setdefault("resident_id", []).extend(exc.messages)
    if household.mobile:
        try:
            household.mobile = normalize_mobile(household.mobile)
        except ValidationError as exc:
            errors.setdefault("mobile", []).extend(exc.messages)
    if household.union_id:
        household.county = household.union.region_id[:6]
    ids = [household.resident_id] + [p.get("resident_id", "") for p in people or []]
    if "resident_id" not in errors:
        if filed_elsewhere(resident_ids=ids, county=household.county, exclude_pk=household.pk):
            errors.setdefault("resident_id", []).append(ELSEWHERE)
        elif filed_here(resident_ids=[household.resident_id], county=household.county, exclude_pk=household.pk):
            errors.setdefault("resident_id", []).append(_("This household is already on this county's register."))
    if incomes is not None and sum(incomes, Decimal(0)) != household.annual_income:
        errors.setdefault("annual_income", []).append(
            _("The income a year (%(total)s) is not the sum of its sources (%(sum)s).")
            % {"total": household.annual_income, "sum": sum(incomes, Decimal(0))}
        )
    if people is not None and household.people_count < len(people):
        errors.setdefault("people_count", []).append(
            _("%(n)s people are listed, more than the household's size.") % {"n": len(people)}
        )
    if household.bank_account and not household.bank_account.replace(" ", "").isdigit():
        errors.setdefault("bank_account", []).append(_("A bank account number has only digits."))
    if errors:
        raise ValidationError(errors)


def _event(household: Household, step: str, user=None, note: str = "") -> HouseholdEvent:
    event = HouseholdEvent.objects.create(household=household, step=step, by=user, note=note)
    notify.step_tell(event=event)
    return event


@transaction.atomic
def household_people_check(*, household: Household, resident_ids: list[str]) -> list[str]:
    """The ID numbers of a household's people as entered beside it: each valid (normalised, returned in
    order), and none on file in another county (which reads only "已在其他地区建档")."""
    normalised, errors = [], []
    for rid in resident_ids:
        if not rid:
            normalised.append(rid)
            continue
        try:
            normalised.append(normalize_resident_id(rid))
        except ValidationError as exc:
            errors.extend(exc.messages)
            normalised.append(rid)
    county = household.union.region_id[:6] if household.union_id else household.county
    if not errors and filed_elsewhere(resident_ids=normalised, county=county, exclude_pk=household.pk):
        errors.append(ELSEWHERE)
    if errors:
        raise ValidationError(errors)
    return normalised


@transaction.atomic
def household_apply(
    *,
    household: Household,
    people: list[dict] | None = None,
    incomes: list[tuple[str, Decimal]] | None = None,
    user=None,
    note: str = "",
) -> Household:
    """File an application: the household, its people and its income sources, checked first; the annual
    income is the sum of the sources when they are given."""
    people = people or []
    if incomes is not None and household.annual_income in (None, Decimal(0)):
        household.annual_income = sum((amount for _kind, amount in incomes), Decimal(0))
    household.people_count = max(household.people_count or 1, len(people) + 1 if people else 1)
    household_check(household=household, people=people, incomes=[a for _k, a in incomes] if incomes else None)
    household.status = HouseholdStatus.APPLIED
    household.save()
    for person in people:
        HouseholdPerson.objects.create(household=household, **person)
    for kind, amount in incomes or []:
        IncomeSource.objects.create(household=household, kind=kind, annual_amount=amount)
    _event(household, Step.APPLY, user, note)
    return household


def layer_guess(*, county: str, cause: str, income_per_head_month: Decimal, year: int) -> str:
    """The layer an application starts in (staff correct it at the home visit): accident by its cause, else by
    the county's thresholds; relative when the county has no criteria or the income is above both."""
    if cause == Cause.ACCIDENT:
        return Layer.ACCIDENT
    criteria = criteria_for(county=county, year=year)
    found = layer_by_income(criteria=criteria, income_per_head_month=income_per_head_month) if criteria else None
    return found or Layer.RELATIVE


@transaction.atomic
def household_apply_online(
    *,
    union,
    head_name: str,
    resident_id: str,
    mobile: str,
    people_count: int,
    income_per_head_month: Decimal,
    cause: str,
    account: str,
    consent: bool,
    evidence: list[tuple[str, object]] | None = None,
) -> Household:
    """A worker's own application from a phone: the same filing as staff's (``household_apply``: status
    "applied", every check), source "worker", with their consent, their account of the difficulty and up to
    two documents; the worker is sent the reference. Errors by field; nothing is written on any error."""
    errors: dict[str, list] = {}
    if not consent:
        errors["consent"] = [_("Please agree to the personal-information notice to continue.")]
    try:
        evidence_check([upload for _kind, upload in evidence or []])
    except ValidationError as exc:
        errors["evidence"] = exc.messages
    if not (account or "").strip():
        errors["account"] = [_("Please describe the difficulty in a few words.")]
    if not mobile:
        errors["mobile"] = [_("A mobile number is needed to follow the application.")]
    people_count = max(int(people_count or 1), 1)
    household = Household(
        union=union,
        head_name=head_name.strip(),
        resident_id=resident_id,
        mobile=mobile,
        cause=cause,
        account=(account or "").strip(),
        people_count=people_count,
        annual_income=(Decimal(income_per_head_month) * 12 * people_count).quantize(Decimal("0.01")),
        layer=layer_guess(
            county=union.region_id[:6],
            cause=cause,
            income_per_head_month=Decimal(income_per_head_month),
            year=timezone.localdate().year,
        ),
        source=Source.WORKER,
        consent_at=timezone.now() if consent else None,
    )
    try:
        household_check(household=household)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    household_apply(household=household, note=_("applied from a phone"))
    for kind, upload in evidence or []:
        evidence_add(household=household, upload=upload, kind=kind)
    notify.application_filed_tell(household=household)
    return household


def household_lookup(*, reference: str, mobile: str) -> Household | None:
    """A worker's own application by its reference and the mobile number it was filed with (None for any
    mismatch, without saying which part was wrong)."""
    reference = (reference or "").strip().upper()
    if not reference or not mobile:
        return None
    return (
        Household.objects.filter(reference=reference, mobile=mobile, source=Source.WORKER)
        .select_related("union")
        .first()
    )


def _locked(household: Household, expected: str) -> Household:
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if locked.status != expected:
        raise ValidationError(
            _("This household is “%(status)s”; this step needs “%(expected)s”.")
            % {"status": locked.get_status_display(), "expected": HouseholdStatus(expected).label}
        )
    return locked


@transaction.atomic
def household_visit(*, household: Household, record: str, user=None) -> Household:
    """The grassroots union's home visit, with what it found."""
    if not record.strip():
        raise ValidationError({"record": _("Write down what the home visit found.")})
    household = _locked(household, HouseholdStatus.APPLIED)
    household.status = HouseholdStatus.VISITED
    household.save()
    _event(household, Step.VISIT, user, record)
    return household


@transaction.atomic
def household_review(*, household: Household, passed: bool, record: str, user=None) -> Household:
    """The democratic review (民主评议): passed, or the application is not accepted."""
    household = _locked(household, HouseholdStatus.VISITED)
    household.status = HouseholdStatus.REVIEWED if passed else HouseholdStatus.REJECTED
    household.save()
    _event(household, Step.REVIEW if passed else Step.REJECT, user, record)
    return household


@transaction.atomic
def household_notice_start(
    *, household: Household, starts: dt.date | None = None, days: int | None = None, user=None
) -> Household:
    """Put a reviewed household on public notice for the county's days (default 7), never fewer than the
    county's minimum."""
    household = _locked(household, HouseholdStatus.REVIEWED)
    starts = starts or timezone.localdate()
    criteria = criteria_for(county=household.county, year=starts.year)
    default_days = criteria.notice_days if criteria else 7
    minimum = criteria.notice_minimum_days if criteria else 5
    days = default_days if days is None else days
    if days < minimum:
        raise ValidationError({"days": _("A public notice runs at least %(n)s days in this county.") % {"n": minimum}})
    household.status = HouseholdStatus.NOTICE
    household.notice_starts = starts
    household.notice_ends = starts + dt.timedelta(days=days - 1)
    household.save()
    _event(household, Step.NOTICE, user, _("%(n)s days, until %(end)s") % {"n": days, "end": household.notice_ends})
    return household


@transaction.atomic
def objection_add(*, household: Household, content: str, received_on: dt.date | None = None) -> Objection:
    if household.status != HouseholdStatus.NOTICE:
        raise ValidationError(_("Objections are received while the household is on public notice."))
    if not content.strip():
        raise ValidationError({"content": _("Write down the objection.")})
    return Objection.objects.create(
        household=household, content=content, received_on=received_on or timezone.localdate()
    )


@transaction.atomic
def objection_resolve(*, objection: Objection, resolution: str, upheld: bool, user=None) -> Objection:
    if not resolution.strip():
        raise ValidationError({"resolution": _("Write down how the objection was resolved.")})
    objection.resolution = resolution
    objection.upheld = upheld
    objection.resolved_at = timezone.now()
    objection.resolved_by = user
    objection.save()
    return objection


@transaction.atomic
def household_approve(*, household: Household, user=None, today: dt.date | None = None, note: str = "") -> Household:
    """The county's approval: only after the notice has run its days with every objection resolved and none
    upheld; the ID numbers are checked across counties once more."""
    today = today or timezone.localdate()
    household = _locked(household, HouseholdStatus.NOTICE)
    if household.notice_ends and today <= household.notice_ends:
        raise ValidationError(_("The public notice runs until %(end)s.") % {"end": household.notice_ends})
    if household.objections.filter(resolved_at__isnull=True).exists():
        raise ValidationError(_("Resolve every objection before approving."))
    if household.objections.filter(upheld=True).exists():
        raise ValidationError(_("An objection was upheld: this household cannot be approved."))
    ids = [household.resident_id, *household.people.values_list("resident_id", flat=True)]
    if filed_elsewhere(resident_ids=ids, county=household.county, exclude_pk=household.pk):
        raise ValidationError(ELSEWHERE)
    household.status = HouseholdStatus.ON_FILE
    household.filed_on = today
    household.recheck_due = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else today
    household.save()
    _event(household, Step.APPROVE, user, note)
    return household


@transaction.atomic
def household_reject(*, household: Household, reason: str, user=None) -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status in (HouseholdStatus.ON_FILE, HouseholdStatus.LEFT, HouseholdStatus.REJECTED):
        raise ValidationError(_("Only an application in progress can be turned down."))
    household.status = HouseholdStatus.REJECTED
    household.save()
    _event(household, Step.REJECT, user, reason)
    return household


@transaction.atomic
def household_leave(
    *, household: Household, reason: str, note: str = "", on: dt.date | None = None, user=None
) -> Household:
    """Take a household off the register, with the reason; it is not paid in cycles computed from now on."""
    household = _locked(household, HouseholdStatus.ON_FILE)
    if not reason:
        raise ValidationError({"leave_reason": _("Choose why the household leaves the register.")})
    household.status = HouseholdStatus.LEFT
    household.leave_reason = reason
    household.leave_note = note
    household.left_on = on or timezone.localdate()
    household.save()
    _event(household, Step.LEAVE, user, note)
    return household
