"""The dashboard's figures as the scheduled refresh computed them: the page reads them, never computes them.

One row per reach (``key``: everything, a region, or one station manager's stations - and whether the reach
may see the application queue), year and language. ``figures`` is the pickled ``dashboard_data`` of that reach,
``computed_at`` when it was computed (shown as "统计于 HH:MM"); a row with no figures yet was asked for by a
visitor (shown as "正在统计") and is computed at the refresh's next run. Written only by
``dashboard.services.snapshots``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unionhub.scoping import scoped


@scoped(region="region_code", users=("user",))
class DashboardSnapshot(models.Model):
    key = models.CharField(_("reach"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=10)
    # The reach's region (empty for everything or a station manager's own stations) and, for a station
    # manager, the user whose stations these are: how the row is scoped, and whom the refresh computes as.
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    figures = models.BinaryField(_("figures"), null=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    asked_at = models.DateTimeField(_("last asked for"), auto_now_add=True)

    class Meta:
        verbose_name = _("dashboard figures")
        verbose_name_plural = _("dashboard figures")
        constraints = [
            models.UniqueConstraint(fields=["key", "year", "language"], name="dashboard_snapshot_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year} {self.language}"
