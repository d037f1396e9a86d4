"""Tombstones: one row per deleted row of a model the API lists, so that the "changes since" export can tell a
province platform what was deleted (``api.services.deletions`` writes them as rows are deleted).

Each keeps the region code and the station the row belonged to *when it was deleted*, and the users who reached
it by assignment then (a request's handler, its holding union's handlers: ``DeletionReader``), and is scoped by
them: another county's deletions never reach a county's token, as its rows never did, and a union chair with
no region learns of the deletion of a request they were handling."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.models import Station
from unionhub.scoping import scoped


@scoped(region="region_code", station="station", users=("readers__user",))
class Deletion(models.Model):
    model = models.CharField(_("model"), max_length=80)  # app label and model name: "outreach.event"
    object_id = models.BigIntegerField(_("object id"))
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    # The station the row belonged to (its id survives the station: no constraint, nothing cascades).
    station = models.ForeignKey(
        Station,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("station"),
    )
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now)

    class Meta:
        verbose_name = _("deleted row")
        verbose_name_plural = _("deleted rows")
        ordering = ["pk"]
        indexes = [models.Index(fields=["model", "deleted_at"], name="api_deletion_model_time")]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id}"


@scoped(region="deletion__region_code", station="deletion__station", users=("user",))
class DeletionReader(models.Model):
    """A user who reached a deleted row by assignment when it was deleted (``unionhub.scoping``'s ``users``
    paths of the row's model)."""

    deletion = models.ForeignKey(
        Deletion, on_delete=models.CASCADE, related_name="readers", verbose_name=_("deleted row")
    )
    # The user's id survives the user (no constraint): a tombstone's readers are a record, not a link.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("reader of a deleted row")
        verbose_name_plural = _("readers of deleted rows")
        constraints = [models.UniqueConstraint(fields=["deletion", "user"], name="api_deletionreader_once")]

    def __str__(self) -> str:
        return f"{self.deletion} · {self.user_id}"
