"""Checks on the files a worker attaches: type by content (not by name or the browser's word), size, count."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Leading bytes of the accepted types. HEIC (iPhone photos) is not accepted: phones convert to JPEG on upload.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


def attachment_content_type(upload) -> str:
    """The content type of an uploaded file judged by its first bytes; ValidationError if not JPEG/PNG/PDF or
    too large."""
    if upload.size > settings.CASEWORK_MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(settings.CASEWORK_MAX_ATTACHMENT_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError(
        _("“%(name)s” is not a photo (JPEG or PNG) or a PDF file.") % {"name": upload.name}, code="file_type"
    )


def attachments_check(uploads) -> list[tuple[object, str]]:
    """Every upload with its content type; ValidationError listing every problem, or too many files."""
    uploads = list(uploads or [])
    if len(uploads) > settings.CASEWORK_MAX_ATTACHMENTS:
        raise ValidationError(
            _("At most %(n)s files can be attached.") % {"n": settings.CASEWORK_MAX_ATTACHMENTS}, code="too_many"
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append((upload, attachment_content_type(upload)))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return checked
