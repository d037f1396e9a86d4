"""Evidence documents in the admin: an inline of the household where staff add photos or PDFs (checked by
content through ``hardship.services.evidence``, as casework's attachments), and the scoped download (the
permission and the household's scope checked; outside it the file is "not found"). Photos open in the
browser; anything else is a download, so a PDF never runs in the admin's origin."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from casework.services.attachments import attachment_content_type
from hardship.models import Evidence
from unionhub.admin.base import ScopedInlineMixin
from unionhub.http import private_file_response, scoped_file

SERVED_TYPES = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
INLINE_TYPES = {"image/jpeg", "image/png"}
PERMISSION = "hardship.view_evidence"


def evidence_download(request, pk: int):
    """The file of one document, for a staff member with the view permission who reaches its household."""
    evidence, content = scoped_file(request, Evidence.objects.select_related("household"), pk, permission=PERMISSION)
    content_type = evidence.content_type if evidence.content_type in SERVED_TYPES else "application/octet-stream"
    filename = f"{evidence.household.reference}-{evidence.pk}.{SERVED_TYPES.get(content_type, 'bin')}"
    return private_file_response(content, filename, content_type=content_type, inline=content_type in INLINE_TYPES)


class EvidenceForm(forms.ModelForm):
    """The upload checked by content and size beside the field; stored by ``evidence_add``."""

    class Meta:
        model = Evidence
        fields = ["kind", "file"]
        widgets = {"file": forms.FileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a stored document is replaced by adding another, never overwritten
            self.fields["file"].disabled = True
            self.fields["file"].required = False
            self.fields["file"].widget = forms.HiddenInput()  # the link beside it opens the file

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and not self.instance.pk:
            try:
                attachment_content_type(upload)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from None
        return upload


class EvidenceInline(ScopedInlineMixin, admin.TabularInline):
    model = Evidence
    form = EvidenceForm
    extra = 0
    fields = ["kind", "file", "download_link", "content_type", "size", "added_at"]
    readonly_fields = ["download_link", "content_type", "size", "added_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        return self.fields

    @admin.display(description=_("document"))
    def download_link(self, obj):
        if not obj or not obj.pk:
            return "—"
        url = reverse("admin:hardship_household_evidence_download", args=[obj.pk])
        label = _("view the photo") if obj.content_type in INLINE_TYPES else _("download")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, label)
