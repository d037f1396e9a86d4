"""The station manager's day log: today's activity, the day's visitor count and photos of the activity, in one
write; and the photo check (type by content with Pillow, size limit, scaled down, re-encoded, EXIF dropped)."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from stations.models import Activity, ActivityKind, ActivityPhoto, Station, VisitorCount
from unionhub.storage import UploadWriteError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: what some phones call a JPEG with a depth map
MAX_PIXELS = 50_000_000  # a larger picture is a decompression bomb, not a phone photo
JPEG_QUALITY = 85


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo ready to store: the re-encoded JPEG and its size in pixels."""

    content: bytes
    width: int
    height: int


def photo_prepare(upload) -> PreparedPhoto:
    """The upload as a JPEG whose longest side is at most ``STATION_PHOTO_MAX_SIDE``, turned upright by its
    EXIF orientation and then stored without any EXIF (no place, no phone model). ValidationError, in Chinese
    and naming the file, if it is too large or is not a JPEG, PNG or WebP picture by its content."""
    name = getattr(upload, "name", "") or _("the photo")
    limit = settings.STATION_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s. Take the photo again at a lower resolution, or choose another.")
            % {"name": name, "limit": filesizeformat(limit)},
            code="too_large",
        )
    not_a_photo = ValidationError(
        _("“%(name)s” is not a photo (JPEG, PNG or WebP).") % {"name": name}, code="file_type"
    )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS or probe.width * probe.height > MAX_PIXELS:
                    raise not_a_photo
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                if image.mode not in ("RGB", "L"):
                    background = Image.new("RGB", image.size, "white")
                    rgba = image.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    image = background
                side = settings.STATION_PHOTO_MAX_SIDE
                image.thumbnail((side, side), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                # No exif= argument: nothing of the original's metadata is written.
                image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                return PreparedPhoto(out.getvalue(), image.width, image.height)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise not_a_photo from None


def photos_check(uploads: Iterable) -> list[PreparedPhoto]:
    """Every upload prepared, or one ValidationError listing every problem (too many, too large, not a photo)."""
    uploads = list(uploads or [])
    if len(uploads) > settings.STATION_PHOTO_MAX_COUNT:
        raise ValidationError(
            _("At most %(n)s photos per entry.") % {"n": settings.STATION_PHOTO_MAX_COUNT}, code="too_many"
        )
    prepared, errors = [], []
    for upload in uploads:
        try:
            prepared.append(photo_prepare(upload))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return prepared


@transaction.atomic
def station_day_log(
    *,
    station: Station,
    kind: ActivityKind,
    title: str,
    participants: int,
    visitors: int | None,
    notes: str = "",
    photos: Iterable[PreparedPhoto] = (),
    user=None,
    date: dt.date | None = None,
) -> Activity:
    """Record the day's activity at ``station`` with its photos and, when given, the day's visitor count
    (replacing a count already logged for that day: the manager corrects the figure in the evening).

    All or nothing: a field that fails validation raises ValidationError keyed by the form's field names
    and nothing is written. The caller has checked that ``user`` manages ``station``."""
    date = date or timezone.localdate()
    activity = Activity(
        station=station, kind=kind, date=date, title=title, participants=participants, notes=notes, created_by=user
    )
    activity.full_clean()
    activity.save()
    if visitors is not None:
        count = VisitorCount.objects.filter(station=station, date=date).first() or VisitorCount(
            station=station, date=date
        )
        count.visitors = visitors
        try:
            count.full_clean()
        except ValidationError as exc:
            raise ValidationError({"visitors": exc.messages}) from None
        count.save()
    written = []
    for photo in photos:
        record = ActivityPhoto(
            activity=activity, width=photo.width, height=photo.height, size=len(photo.content), uploaded_by=user
        )
        try:
            record.file.save("photo.jpg", ContentFile(photo.content), save=False)
        except UploadWriteError as exc:  # disk or quota full: nothing is kept, the message goes by the field
            for stored in written:
                stored.delete(save=False)
            raise ValidationError({"photos": [exc.message]}) from exc
        written.append(record.file)
        record.save()
    return activity
