"""Visits by the outreach teams: recorded with their photos, and the funnel moved on by what they found."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.choices import Stage, VisitOutcome
from outreach.models import Employer, OutreachTeam, Visit, VisitPhoto
from outreach.services.employers import employer_advance
from stations.services.logs import photos_check

OUTCOME_STAGE = {
    VisitOutcome.VISITED: Stage.VISITED,
    VisitOutcome.REFUSED: Stage.VISITED,
    VisitOutcome.WILLING: Stage.WILLING,
}


def visit_validate(*, visit: Visit) -> None:
    errors = {}
    if visit.visited_on and visit.visited_on > timezone.localdate():
        errors["visited_on"] = _("This date is in the future.")
    if visit.team_id and visit.employer_id and not visit.employer.town_id.startswith(visit.team.county_id):
        errors["team"] = _("This team works in another county.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_record(
    *,
    employer: Employer,
    team: OutreachTeam,
    visited_on: dt.date,
    visitors: str,
    met: str,
    said: str,
    next_step: str = "",
    outcome: str = VisitOutcome.VISITED,
    photos=(),
    project=None,
    user=None,
) -> Visit:
    """Record a visit (photos checked and re-encoded, all or none) and move the employer along the funnel."""
    prepared = photos_check(photos)
    visit = Visit(
        employer=employer,
        team=team,
        visited_on=visited_on,
        visitors=visitors,
        met=met,
        said=said,
        next_step=next_step,
        outcome=outcome,
        project=project,
        recorded_by=user,
    )
    visit_validate(visit=visit)
    visit.full_clean()
    visit.save()
    for photo in prepared:
        VisitPhoto.objects.create(
            visit=visit, file=ContentFile(photo.content, name="visit.jpg"), width=photo.width, height=photo.height
        )
    employer_advance(employer=employer, stage=OUTCOME_STAGE[outcome])
    return visit
