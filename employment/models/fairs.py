"""Job fairs: the employers taking part and their posts, workers' sign-ups and check-ins, the results."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from employment.choices import FairKind
from outreach.models import Event
from stations.models import Station
from unionhub.models.regions import Region
from unionhub.scoping import scoped
from unionhub.validators import validate_credit_code


@scoped(region="region__code", station="station")
class JobFair(models.Model):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=FairKind.choices, default=FairKind.GENERAL)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, null=True, blank=True, related_name="job_fairs", verbose_name=_("station")
    )
    held_on = models.DateField(_("held on"))
    online = models.BooleanField(_("online"), default=False)
    # The fair as an outreach event: workers sign up on their phones and are checked in at the door there (one
    # sign-up and check-in mechanism); the fair keeps its employers, posts, intentions and hires.
    event = models.OneToOneField(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="job_fair",
        verbose_name=_("job fair event"),
        help_text=_("The fair's event (outreach): its phone sign-ups and door check-ins are taken there."),
    )

    class Meta:
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.name


@scoped(region="fair__region__code", station="fair__station")
class FairEmployer(models.Model):
    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="employers", verbose_name=_("job fair"))
    employer_name = models.CharField(_("employer"), max_length=100)
    employer_credit_code = models.CharField(
        _("employer's unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    posts = models.PositiveIntegerField(_("posts"), default=1)

    class Meta:
        verbose_name = _("employer at the fair")
        verbose_name_plural = _("employers at the fair")

    def __str__(self) -> str:
        return self.employer_name


@scoped(region="fair__region__code", station="fair__station")
class FairSignup(models.Model):
    """A worker signed up for a fair; whether they came, reached an intention with an employer, were hired."""

    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="signups", verbose_name=_("job fair"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    checked_in = models.BooleanField(_("checked in"), default=False)
    intention = models.BooleanField(_("job intention reached"), default=False)
    hired = models.BooleanField(_("hired"), default=False)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")

    def __str__(self) -> str:
        return self.name or str(self.pk)
