"""What mediation tells the worker through the messages core: the case opened (its number and desk) and each
meeting's date and place. The case's end reaches the worker as the request's resolution (``notices``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import MediationCase, Meeting
from unionhub.messaging.backends import Recipient
from unionhub.services.messages import message_template, send_message

MEDIATION_OPENED = message_template(
    code="casework.mediation_opened",
    label=_("mediation opened (to the worker)"),
    subject=_("Your request %(reference)s"),
    text=_(
        "Your request %(reference)s is in mediation at %(station)s, case number %(number)s; the mediation period "
        "ends on %(period_ends)s. Details: %(url)s"
    ),
)
MEDIATION_MEETING = message_template(
    code="casework.mediation_meeting",
    label=_("mediation meeting (to the worker)"),
    subject=_("Your request %(reference)s"),
    text=_("Mediation meeting for case %(number)s: %(when)s, %(place)s. Details: %(url)s"),
)


def _status_url(reference: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('casework:status')}?{urlencode({'ref': reference})}"


def mediation_opened_notify(*, case: MediationCase, period_ends) -> int:
    """Tell the worker whose request the case came from (in the caller's transaction: rolled back, not sent)."""
    request = case.request
    if request is None:
        return 0
    params = {
        "reference": request.reference,
        "station": case.station.name,
        "number": case.number,
        "period_ends": f"{period_ends:%Y-%m-%d}",
        "url": _status_url(request.reference),
    }
    return len(
        send_message(
            template=MEDIATION_OPENED,
            params=params,
            recipients=[Recipient(mobile=request.mobile)],
            about=request,
            region_id=request.region_id,
            key=f"casework.case:{case.pk}:opened",
        )
    )


def mediation_meeting_notify(*, meeting: Meeting) -> int:
    """Tell the worker the date and place of a meeting still to come."""
    case = meeting.case
    request = case.request
    if request is None or meeting.held_at < timezone.now():
        return 0
    params = {
        "reference": request.reference,
        "number": case.number,
        "when": f"{timezone.localtime(meeting.held_at):%Y-%m-%d %H:%M}",
        "place": meeting.place or meeting.get_mode_display(),
        "url": _status_url(request.reference),
    }
    return len(
        send_message(
            template=MEDIATION_MEETING,
            params=params,
            recipients=[Recipient(mobile=request.mobile)],
            about=request,
            region_id=request.region_id,
            key=f"casework.meeting:{meeting.pk}:{meeting.held_at:%Y%m%d%H%M}",
        )
    )
