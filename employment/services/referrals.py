"""Referrals: a worker sent to a vacancy (就业意向), the interview, the outcome (hired: 解决就业). A hire
counts against the vacancy's posts in the same transaction, so a vacancy whose posts are all filled leaves the
public lists at once; a wish whose worker is hired is placed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from employment.choices import Outcome, VacancyStatus, WishStatus
from employment.models import JobWish, Referral, Vacancy
from unionhub.scoping import in_scope


def referral_make(*, vacancy: Vacancy, wish: JobWish, user, today: dt.date | None = None) -> Referral:
    if user is not None and not in_scope(vacancy, user):
        raise PermissionDenied
    if vacancy.status != VacancyStatus.PUBLISHED:
        raise ValidationError(_("Only a published vacancy takes referrals."))
    if wish.occupation != vacancy.occupation:
        raise ValidationError(_("The worker wants another occupation."))
    if not wish.consent:
        raise ValidationError(_("The worker has not agreed to share the wish with employers."))
    try:
        with transaction.atomic():
            return Referral.objects.create(
                vacancy=vacancy, wish=wish, referred_by=user, referred_on=today or timezone.localdate()
            )
    except IntegrityError:
        raise ValidationError(_("This worker was already referred to this vacancy.")) from None


def referral_record(
    *,
    referral: Referral,
    user,
    outcome: str,
    interview_on: dt.date | None = None,
    outcome_on: dt.date | None = None,
) -> Referral:
    """Record the interview date and the outcome; a hire fills one post and places the wish."""
    if user is not None and not in_scope(referral, user):
        raise PermissionDenied
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    if interview_on and interview_on < referral.referred_on:
        raise ValidationError({"interview_on": _("The interview cannot be before the referral.")})
    with transaction.atomic():
        before = Referral.objects.select_for_update().get(pk=referral.pk).outcome
        referral.outcome = outcome
        referral.interview_on = interview_on or referral.interview_on
        referral.outcome_on = (outcome_on or timezone.localdate()) if outcome != Outcome.PENDING else None
        referral.save(update_fields=["outcome", "interview_on", "outcome_on"])
        change = (outcome == Outcome.HIRED) - (before == Outcome.HIRED)
        if change:
            Vacancy.objects.filter(pk=referral.vacancy_id).update(filled_posts=F("filled_posts") + change)
            status = WishStatus.PLACED if change > 0 else WishStatus.OPEN
            JobWish.objects.filter(pk=referral.wish_id).update(status=status)
    return referral
