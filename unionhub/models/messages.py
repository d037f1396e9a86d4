"""What was sent to whom: one row per message, per recipient and channel (the messages core)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.models.regions import Region
from unionhub.scoping import scoped


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")
    CONSOLE = "console", _("system log")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    RETRYING = "retrying", _("waiting to retry")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


# A message in one of these may be claimed for delivery (``unionhub.services.messages.message_deliver``).
DELIVERABLE_STATUSES = (MessageStatus.QUEUED, MessageStatus.RETRYING)


@scoped(region="region__code")
class Message(models.Model):
    """One message to one address through one channel, from queued to sent or failed.

    ``recipient`` is the full address (a mobile number for SMS, an e-mail address, for the log either) and is
    read only by the backend that sends; everything people read - the admin, logs - shows
    ``recipient_display``, the address with any mobile number masked (``139****5678``). ``template`` is the
    code of the message template (``membership.application_approved``); ``params`` are its values as the SMS
    gateway's template parameters; ``subject`` and ``text`` are the rendered Chinese message. ``about`` is
    the object the message is about (an application, a worker's request); ``region`` scopes the row like
    everything else (the county of that object). ``key``, when given, makes the message's creation
    idempotent (a step's notices are recorded once however often the task that records them runs).

    Delivery claims the row with one conditional UPDATE (``queued``/``retrying`` → ``sending``), so a message
    delivered twice is sent once; a failure leaves it ``retrying`` with ``next_attempt_at`` until
    ``MESSAGE_MAX_ATTEMPTS`` attempts are used, then ``failed``. ``last_error`` is masked like the log."""

    channel = models.CharField(_("channel"), max_length=8, choices=MessageChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    recipient_display = models.CharField(_("recipient"), max_length=254)
    template = models.CharField(_("message template"), max_length=60)
    params = models.JSONField(_("template parameters"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=8, choices=MessageStatus.choices, default=MessageStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claimed_at = models.DateTimeField(_("last attempt started"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("time sent"), null=True, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("about")
    )
    object_id = models.PositiveBigIntegerField(_("object"), null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    key = models.CharField(_("idempotency key"), max_length=100, blank=True)

    class Meta:
        # A context: casework's "message" is the note written with a handling action (说明).
        verbose_name = pgettext_lazy("sent to a person", "message")
        verbose_name_plural = pgettext_lazy("sent to a person", "messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="message_about"),
            # The per-recipient rate limit counts one recipient's recent SMS.
            models.Index(fields=["recipient", "channel", "sent_at"], name="message_recipient_sent"),
            models.Index(fields=["key"], name="message_key", condition=~models.Q(key="")),
            models.Index(fields=["-created_at", "-id"], name="message_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_display}"
