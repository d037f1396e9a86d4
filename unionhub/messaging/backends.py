"""How a message leaves the system: one backend per channel, chosen by ``MESSAGE_BACKENDS``.

* ``console`` - the log, every address masked (development, and offices that phone the worker);
* ``email`` - Django's e-mail: to the person's e-mail address (a handler), or, for a mobile number, to
  ``MESSAGE_EMAIL_TO`` with ``{mobile}`` filled in (an e-mail-to-SMS gateway; silent while that is empty);
* ``sms`` - an SMS gateway over HTTP, as Chinese SMS providers work: a signature (签名) approved with the
  provider and, per message template, the provider's template code; the text is the provider's template
  filled with our parameters. ``POST MESSAGE_SMS_URL`` with the JSON body
  ``{"phone", "sign_name", "template_code", "template_param"}``, signed with the app key and secret
  (headers ``X-App-Key``, ``X-Timestamp``, ``X-Nonce`` and ``X-Signature``: the hex HMAC-SHA256, keyed with
  the secret, of ``timestamp + "\\n" + nonce + "\\n" + body``). Sent when the answer is HTTP 200 with a JSON
  body whose ``MESSAGE_SMS_CODE_FIELD`` is ``MESSAGE_SMS_SUCCESS_CODE`` (Aliyun's ``"Code": "OK"``).

``send`` raises on failure: :class:`PermanentDeliveryError` when trying again cannot help (a template with no
code at the provider), any other exception to be retried. No backend writes a full mobile number anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from unionhub.models.messages import Message, MessageChannel
from unionhub.personal import MOBILE, mask, mask_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Whom to tell: a worker gives a mobile number, a handler has an e-mail address."""

    mobile: str = ""
    email: str = ""


class PermanentDeliveryError(Exception):
    """A failure that trying again cannot mend: the message fails at once."""


class Backend:
    """The interface: the address a recipient has on this channel (empty: not reachable), how it is shown,
    and ``send``, raising on failure."""

    channel: str = ""

    def address(self, recipient: Recipient) -> str:
        raise NotImplementedError

    def display(self, address: str) -> str:
        """The address as people read it: any mobile number masked."""
        return mask_text(address)

    def send(self, message: Message) -> None:
        raise NotImplementedError


class ConsoleBackend(Backend):
    """Writes the message to the log, with the address masked."""

    channel = MessageChannel.CONSOLE

    def address(self, recipient: Recipient) -> str:
        return recipient.mobile or recipient.email

    def send(self, message: Message) -> None:
        logger.info("message %s to %s: %s", message.template, message.recipient_display, mask_text(message.text))


class EmailBackend(Backend):
    """Django's e-mail, to the recipient's address or the e-mail-to-SMS gateway's (``MESSAGE_EMAIL_TO``)."""

    channel = MessageChannel.EMAIL

    def address(self, recipient: Recipient) -> str:
        if recipient.email:
            return recipient.email
        template = settings.MESSAGE_EMAIL_TO
        return template.format(mobile=recipient.mobile) if template and recipient.mobile else ""

    def send(self, message: Message) -> None:
        send_mail(message.subject, message.text, None, [message.recipient])


class SmsGatewayBackend(Backend):
    """An SMS provider's HTTP API (see the module): only mobile numbers are reachable."""

    channel = MessageChannel.SMS

    def address(self, recipient: Recipient) -> str:
        return recipient.mobile

    def display(self, address: str) -> str:
        return mask(address, MOBILE)

    def payload(self, message: Message) -> dict:
        template_code = settings.MESSAGE_SMS_TEMPLATE_CODES.get(message.template)
        if not template_code:
            raise PermanentDeliveryError(
                _("The SMS gateway has no template code for %(template)s (MESSAGE_SMS_TEMPLATE_CODES).")
                % {"template": message.template}
            )
        return {
            "phone": message.recipient,
            "sign_name": settings.MESSAGE_SMS_SIGN_NAME,
            "template_code": template_code,
            "template_param": {name: str(value) for name, value in message.params.items()},
        }

    def headers(self, body: bytes) -> dict[str, str]:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        signed = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body
        signature = hmac.new(settings.MESSAGE_SMS_APP_SECRET.encode(), signed, hashlib.sha256).hexdigest()
        return {
            "Content-Type": "application/json; charset=utf-8",
            "X-App-Key": settings.MESSAGE_SMS_APP_KEY,
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Signature": signature,
        }

    def send(self, message: Message) -> None:
        body = json.dumps(self.payload(message), ensure_ascii=False).encode()
        request = urllib.request.Request(settings.MESSAGE_SMS_URL, data=body, headers=self.headers(body), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=settings.MESSAGE_SMS_TIMEOUT_SECONDS) as response:
                status, answer = response.status, response.read(64 * 1024)
        except urllib.error.HTTPError as exc:
            raise ConnectionError(_("The SMS gateway answered HTTP %(status)s.") % {"status": exc.code}) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ConnectionError(_("The SMS gateway cannot be reached: %(reason)s") % {"reason": reason}) from None
        try:
            data = json.loads(answer or b"{}")
        except ValueError:
            data = {}
        code = str(data.get(settings.MESSAGE_SMS_CODE_FIELD, "")) if isinstance(data, dict) else ""
        if status != 200 or code != settings.MESSAGE_SMS_SUCCESS_CODE:
            detail = str(data.get("message") or data.get("Message") or "") if isinstance(data, dict) else ""
            raise ConnectionError(
                mask_text(
                    _("The SMS gateway refused the message (HTTP %(status)s, code %(code)s) %(detail)s")
                    % {"status": status, "code": code or "-", "detail": detail}
                ).strip()
            )


BACKENDS: dict[str, type[Backend]] = {
    MessageChannel.CONSOLE: ConsoleBackend,
    MessageChannel.EMAIL: EmailBackend,
    MessageChannel.SMS: SmsGatewayBackend,
}


def backend_for(channel: str) -> Backend:
    return BACKENDS[channel]()


def enabled_backends() -> list[Backend]:
    """The backends of ``MESSAGE_BACKENDS``, in that order."""
    return [backend_for(channel) for channel in settings.MESSAGE_BACKENDS]
