"""The log of who saw whose full ID and mobile numbers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.choices import RevealSubject
from membership.models.applications import MembershipApplication
from membership.models.members import Member
from unionhub.models.regions import Region
from unionhub.scoping import scoped


@scoped(region="region__code")
class PersonalDataReveal(models.Model):
    """One reveal of full personal numbers: a member's or an application's ID and mobile number shown
    unmasked, or a member export with the full numbers in it (one row per export, with the row count).

    Written by ``services.personal_data_reveal`` and never changed. ``region`` is the county of the person
    (or the exporting user's region), which scopes the log; ``subject_label`` keeps a masked description so
    the log still reads after the member or application is gone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    subject = models.CharField(_("what"), max_length=20, choices=RevealSubject.choices)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    application = models.ForeignKey(
        MembershipApplication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("application"),
    )
    subject_label = models.CharField(_("whose"), max_length=100)
    fields = models.CharField(_("fields"), max_length=50)
    count = models.PositiveIntegerField(_("people"), default=1)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    revealed_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")
        ordering = ["-revealed_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.subject_label}"
