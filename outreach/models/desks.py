"""Pop-up joining desks (流动入会窗口): a place and a time window, with a QR code of their own."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from outreach.models.events import Event, new_code
from unionhub.models.regions import UnionOrganization
from unionhub.scoping import scoped


def new_desk_code() -> str:
    return f"PD{new_code(6)}"


@scoped(region="union__region__code")
class JoiningDesk(models.Model):
    """A pop-up desk. Its QR opens the join page with the desk's code as the application's ``event``: every
    application made through it carries the code, shows in the review queue with it and counts for the desk.
    ``union`` is the union the applications go to (a county federation's: the county reviews them)."""

    name = models.CharField(_("name"), max_length=60)
    code = models.CharField(_("code"), max_length=10, unique=True, default=new_desk_code, editable=False)
    union = models.ForeignKey(
        UnionOrganization, on_delete=models.PROTECT, related_name="+", verbose_name=_("union joined through it")
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="desks", verbose_name=_("event")
    )
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("opens"))
    ends_at = models.DateTimeField(_("closes"))
    project = models.ForeignKey(
        "outreach.ServiceProject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desks",
        verbose_name=_("service project"),
    )

    class Meta:
        verbose_name = _("pop-up joining desk")
        verbose_name_plural = _("pop-up joining desks")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A desk closes after it opens.")})
