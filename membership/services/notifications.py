"""Telling a worker about the decision on their application: a small backend interface.

``settings.MEMBERSHIP_NOTIFICATION_BACKENDS`` lists dotted paths of backend classes; after a decision
commits, one Celery task per backend calls :meth:`NotificationBackend.send` (so a failing SMS gateway is
retried on its own, without e-mailing twice). Shipped: ``ConsoleBackend`` (the log, for development and
for offices that phone the worker) and ``EmailBackend`` (Django's e-mail, to an address made from the
mobile number - an e-mail-to-SMS gateway). An SMS gateway is a subclass of ``SmsBackend``::

    class AliyunSmsBackend(SmsBackend):
        def send_sms(self, mobile: str, text: str) -> None:
            client.send(phone=mobile, template="SMS_123", params={"text": text})

A backend raises on failure; the task retries with back-off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from membership.choices import ApplicationStatus
from unionhub.personal import MOBILE, mask

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    """What the worker is told: everything a backend needs, nothing it must look up."""

    reference: str
    name: str
    mobile: str
    approved: bool
    card_number: str
    union: str
    reason: str
    status_url: str

    @classmethod
    def from_application(cls, application) -> Decision:
        approved = application.status == ApplicationStatus.APPROVED
        query = urlencode({"ref": application.reference})
        return cls(
            reference=application.reference,
            name=application.name,
            mobile=application.mobile,
            approved=approved,
            card_number=application.member.card_number if approved and application.member_id else "",
            union=str(application.member.union) if approved and application.member_id else "",
            reason=application.rejection_reason,
            status_url=f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('membership:status')}?{query}",
        )

    def subject(self) -> str:
        return _("Your union membership application %(reference)s") % {"reference": self.reference}

    def text(self) -> str:
        """One short message, fit for an SMS."""
        if self.approved:
            return _(
                "%(name)s, welcome to the union! Application %(reference)s is approved; your membership card "
                "number is %(card)s (%(union)s). Details: %(url)s"
            ) % {
                "name": self.name,
                "reference": self.reference,
                "card": self.card_number,
                "union": self.union,
                "url": self.status_url,
            }
        return _(
            "%(name)s, your union membership application %(reference)s was not approved: %(reason)s Details: %(url)s"
        ) % {"name": self.name, "reference": self.reference, "reason": self.reason, "url": self.status_url}


class NotificationBackend:
    """The interface: one method, raising on failure so that the task retries."""

    def send(self, decision: Decision) -> None:
        raise NotImplementedError


class ConsoleBackend(NotificationBackend):
    """Writes the message to the log, with the mobile number masked."""

    def send(self, decision: Decision) -> None:
        logger.info("membership notice to %s: %s", mask(decision.mobile, MOBILE), decision.text())


class EmailBackend(NotificationBackend):
    """Sends the message by e-mail to ``MEMBERSHIP_NOTIFICATION_EMAIL_TO`` with ``{mobile}`` filled in; does
    nothing while that setting is empty (workers give no e-mail address)."""

    def send(self, decision: Decision) -> None:
        template = settings.MEMBERSHIP_NOTIFICATION_EMAIL_TO
        if not template:
            return
        send_mail(decision.subject(), decision.text(), None, [template.format(mobile=decision.mobile)])


class SmsBackend(NotificationBackend):
    """Base for an SMS gateway: implement :meth:`send_sms`."""

    def send(self, decision: Decision) -> None:
        self.send_sms(decision.mobile, decision.text())

    def send_sms(self, mobile: str, text: str) -> None:
        raise NotImplementedError


def get_backend(path: str) -> NotificationBackend:
    return import_string(path)()
