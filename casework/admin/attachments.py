"""Staff download a request's attachments: a scoped admin view (permission and the request's scope checked;
outside the scope the file is "not found"). Photos open in the browser; anything else is a download, so a
PDF a worker uploaded never runs in the admin's origin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from casework.models import RequestAttachment
from unionhub.admin.base import ReadOnlyAdminMixin
from unionhub.http import private_file_response, scoped_file

# What the upload check accepts, judged by content (casework.services.attachments); nothing else is served
# under its own type.
SERVED_TYPES = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
INLINE_TYPES = {"image/jpeg", "image/png"}
PERMISSION = "casework.view_requestattachment"


def attachment_download(request, pk: int):
    """The file of one attachment, for a staff member with the view permission who reaches its request."""
    attachment, content = scoped_file(
        request, RequestAttachment.objects.select_related("request"), pk, permission=PERMISSION
    )
    content_type = attachment.content_type if attachment.content_type in SERVED_TYPES else "application/octet-stream"
    number = list(attachment.request.attachments.order_by("pk").values_list("pk", flat=True)).index(attachment.pk) + 1
    filename = f"{attachment.request.reference}-{number}.{SERVED_TYPES.get(content_type, 'bin')}"
    return private_file_response(content, filename, content_type=content_type, inline=content_type in INLINE_TYPES)


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RequestAttachment
    fields = ["download_link", "content_type", "size"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("file"))
    def download_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:casework_workerrequest_attachment_download", args=[obj.pk])
        label = _("view the photo") if obj.content_type in INLINE_TYPES else _("download")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, label)
