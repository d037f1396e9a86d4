"""Telling a worker about the decision on their application, through the messages core
(``unionhub.services.messages``): recorded with the decision, sent after it commits, retried, and shown to
staff on the application's page. Once a message is sent the application records that the worker was told
(``notified_at``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from membership.choices import ApplicationStatus
from membership.models import MembershipApplication
from unionhub.messaging.backends import Recipient
from unionhub.models.messages import Message
from unionhub.services.messages import message_template, send_message


def _worker_told(message: Message) -> None:
    MembershipApplication.objects.filter(pk=message.object_id).update(notified_at=message.sent_at)


SUBJECT = _("Your union membership application %(reference)s")
APPLICATION_APPROVED = message_template(
    code="membership.application_approved",
    label=_("membership application approved"),
    subject=SUBJECT,
    text=_(
        "%(name)s, welcome to the union! Application %(reference)s is approved; your membership card "
        "number is %(card)s (%(union)s). Details: %(url)s"
    ),
    on_sent=_worker_told,
)
APPLICATION_REJECTED = message_template(
    code="membership.application_rejected",
    label=_("membership application not approved"),
    subject=SUBJECT,
    text=_("%(name)s, your union membership application %(reference)s was not approved: %(reason)s Details: %(url)s"),
    on_sent=_worker_told,
)


def application_decision_notify(*, application: MembershipApplication) -> list[Message]:
    """Record the decision's message to the worker (their mobile number), delivered after commit."""
    approved = application.status == ApplicationStatus.APPROVED
    member = application.member if approved and application.member_id else None
    query = urlencode({"ref": application.reference})
    params = {
        "reference": application.reference,
        "name": application.name,
        "card": member.card_number if member else "",
        "union": str(member.union) if member else "",
        "reason": application.rejection_reason,
        "url": f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('membership:status')}?{query}",
    }
    return send_message(
        template=APPLICATION_APPROVED if approved else APPLICATION_REJECTED,
        params=params,
        recipients=[Recipient(mobile=application.mobile)],
        about=application,
        region_id=application.county_id,
    )
