"""Evidence documents of a household (income certificates, medical bills, disability cards…): photos or PDFs
checked by content like casework's attachments, stored under a random name, served only through a scoped,
permission-checked admin view."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hardship.models.households import Household
from unionhub.scoping import scoped

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def evidence_path(instance, filename: str) -> str:
    # A random name: the worker's file name may hold their name or ID number.
    return f"hardship/{uuid.uuid4().hex}.{EXTENSIONS.get(instance.content_type, 'bin')}"


class EvidenceKind(models.TextChoices):
    INCOME = "income", _("income certificate")
    MEDICAL = "medical", _("medical bills or diagnosis")
    DISABILITY = "disability", _("disability card")
    SCHOOL = "school", _("school enrolment or fees")
    ACCIDENT = "accident", _("accident or disaster record")
    OTHER = "other", _("other document")


@scoped(region="household__union__region__code")
class Evidence(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("household in difficulty")
    )
    kind = models.CharField(_("kind of document"), max_length=10, choices=EvidenceKind.choices, default="other")
    file = models.FileField(_("file"), upload_to=evidence_path)
    content_type = models.CharField(_("type"), max_length=40, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self) -> str:
        return self.get_kind_display()
