"""The message log in the admin: what was sent to whom, read-only and scoped, mobile numbers masked; and the
link an object's page (an application, a worker's request) gives to the messages about it."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from unionhub.admin.base import ReadOnlyAdminMixin, ScopedAdminMixin
from unionhub.admin.helpers import BADGE_BAD, BADGE_OK, BADGE_WARN, badge
from unionhub.models import Message, MessageStatus
from unionhub.services.messages import message_template_label, messages_about

STATUS_BADGES = {
    MessageStatus.SENT: BADGE_OK,
    MessageStatus.FAILED: BADGE_BAD,
    MessageStatus.RETRYING: BADGE_WARN,
    MessageStatus.SENDING: BADGE_WARN,
}


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Messages are written by the system and keep no history of their own. The full address is never shown:
    ``recipient_display`` is masked when it is (or holds) a mobile number. Filtered to one object by
    ``?content_type=…&object_id=…`` (the link on the object's page)."""

    list_per_page = 50
    list_display = [
        "created_at",
        "channel",
        "recipient_display",
        "template_display",
        "status_badge",
        "attempts",
        "sent_at",
        "about_display",
    ]
    list_display_links = ["created_at"]
    # Template codes are internal names ("membership.…"); staff read the label in the list.
    list_filter = ["status", "channel", "created_at"]
    list_select_related = ["content_type"]
    fields = [
        "channel",
        "recipient_display",
        "template_display",
        "subject",
        "text",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
        "region",
        "about_display",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("about")

    @admin.display(description=_("message template"), ordering="template")
    def template_display(self, obj):
        return message_template_label(obj.template)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return badge(obj.get_status_display(), STATUS_BADGES.get(obj.status, ""), title=obj.last_error)

    @admin.display(description=_("about"))
    def about_display(self, obj):
        if not obj.content_type_id:
            return "—"
        about = obj.about
        if about is None:
            return "—"
        try:
            url = reverse(f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return str(about)
        return format_html('<a href="{}">{}</a>', url, about)


class MessageLogMixin:
    """For the admin of a model that messages are about: ``message_log``, a read-only field (add it to the
    fields) counting the messages about the object and linking to them in the message log, which checks the
    permission and the scope."""

    @admin.display(description=_("messages sent"))
    def message_log(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        count = messages_about(obj).count()
        if not count:
            return "—"
        content_type = ContentType.objects.get_for_model(type(obj))
        url = f"{reverse('admin:unionhub_message_changelist')}?content_type={content_type.pk}&object_id={obj.pk}"
        return format_html(
            '<a href="{}">{}</a>', url, ngettext("%(n)s message", "%(n)s messages", count) % {"n": count}
        )
