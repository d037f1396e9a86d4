"""Pop-up joining desks: whether a desk's QR code may be used now, and the join link it leads to."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import JoiningDesk


def desk_open_check(*, desk: JoiningDesk, now=None) -> None:
    """ValidationError in Chinese when the desk is not open at ``now`` (before it opens, after it closes)."""
    now = now or timezone.now()
    if now > desk.ends_at:
        raise ValidationError(
            _(
                "The pop-up desk “%(name)s” closed on %(date)s; this QR code can no longer be used to join. Scan the "
                "union's own QR code or join at %(url)s."
            )
            % {
                "name": desk.name,
                "date": timezone.localtime(desk.ends_at).strftime("%Y-%m-%d"),
                "url": reverse("membership:join"),
            }
        )
    if now < desk.starts_at:
        raise ValidationError(
            _("The pop-up desk “%(name)s” opens on %(date)s.")
            % {"name": desk.name, "date": timezone.localtime(desk.starts_at).strftime("%Y-%m-%d %H:%M")}
        )


def desk_join_url(*, desk: JoiningDesk) -> str:
    """The membership join page with the desk's union and its code as the application's ``event``."""
    return reverse("membership:join") + "?" + urlencode({"union": desk.union_id, "event": desk.code})


def desk_qr_url(*, desk: JoiningDesk) -> str:
    """What the desk's QR code carries: the desk's own page, which checks the time window first."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("outreach:desk", args=[desk.code])
