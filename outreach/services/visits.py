"""Visits by the outreach teams: recorded with their photos, and the funnel moved on by what they found."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.choices import Stage, VisitOutcome
from outreach.models import Employer, OutreachTeam, Visit, VisitPhoto
from outreach.services.employers import employer_advance
from stations.services.logs import photos_check
from unionhub.storage import UploadWriteError

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
    try:
        prepared = photos_check(photos)
    except ValidationError as exc:
        raise ValidationError({"new_photos": exc.messages}) from None
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
    _photos_store(visit, prepared)
    employer_advance(employer=employer, stage=OUTCOME_STAGE[outcome])
    return visit


def _photos_store(visit: Visit, prepared) -> None:
    """Store checked photos; a full disk or quota leaves no file behind and says so beside the photos."""
    written = []
    for photo in prepared:
        record = VisitPhoto(visit=visit, width=photo.width, height=photo.height)
        try:
            record.file.save("visit.jpg", ContentFile(photo.content), save=False)
        except UploadWriteError as exc:
            for stored in written:
                stored.delete(save=False)
            raise ValidationError({"new_photos": [exc.message]}) from exc
        written.append(record.file)
        record.save()


@transaction.atomic
def visit_photos_add(*, visit: Visit, photos) -> list[VisitPhoto]:
    """Add photos to a recorded visit: every one checked by its content and re-encoded (no EXIF kept), all or
    none, at most the station photo limit per visit in all."""
    uploads = list(photos or [])
    if not uploads:
        return []
    if visit.photos.count() + len(uploads) > settings.STATION_PHOTO_MAX_COUNT:
        raise ValidationError(
            {"new_photos": _("At most %(n)s photos per visit.") % {"n": settings.STATION_PHOTO_MAX_COUNT}}
        )
    try:
        prepared = photos_check(uploads)
    except ValidationError as exc:
        raise ValidationError({"new_photos": exc.messages}) from None
    before = set(visit.photos.values_list("pk", flat=True))
    _photos_store(visit, prepared)
    return list(visit.photos.exclude(pk__in=before))
