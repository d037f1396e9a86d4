"""Evidence documents of a household: each upload checked by its content (JPEG, PNG or PDF, by its first
bytes) and its size exactly as casework's attachments are (``casework.services.attachments``), stored under a
random name by the uploads' storage (``unionhub.storage``: a failed write leaves nothing behind)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework.services.attachments import attachment_content_type
from hardship.models import Evidence, Household
from unionhub.storage import UploadWriteError

# A worker attaches at most this many on the phone form; staff add more in the admin.
PHONE_MAX_FILES = 2


def evidence_check(uploads, *, at_most: int = PHONE_MAX_FILES) -> list[tuple[object, str]]:
    """Every upload with its content type judged by content; ValidationError listing every problem."""
    uploads = [upload for upload in uploads or [] if upload]
    if len(uploads) > at_most:
        raise ValidationError(_("At most %(n)s files can be attached.") % {"n": at_most}, code="too_many")
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append((upload, attachment_content_type(upload)))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def evidence_add(*, household: Household, upload, kind: str = "other", user=None) -> Evidence:
    """Store one checked document on the household (ValidationError, nothing stored, if it is refused)."""
    content_type = attachment_content_type(upload)
    evidence = Evidence(household=household, kind=kind or "other", content_type=content_type, size=upload.size)
    evidence.added_by = user if getattr(user, "is_authenticated", False) else None
    try:
        evidence.file.save(upload.name, upload, save=False)
    except UploadWriteError as exc:
        raise ValidationError({"file": exc.message}) from exc
    evidence.save()
    return evidence
