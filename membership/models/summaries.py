"""The register's figures kept as rows: members per county, so no page counts the member table.

``CountyMembers`` holds, per county code, the active members and all members. The database keeps it: triggers
on ``membership_member`` (migration 0018) add and subtract in the very statement that inserts, updates or
deletes members - a form's save, an approval, a transfer, a roster import's ``INSERT … SELECT``, a ``COPY``, a
queryset ``update()`` or ``delete()`` alike - so the figure commits or rolls back with the change. On PostgreSQL
one statement-level trigger per operation reads the statement's transition tables (one grouped upsert however
many rows); on SQLite row-level triggers do the same. ``membership.services.summaries.member_counts_rebuild``
recounts it from the register (the repair)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from unionhub.scoping import scoped


@scoped(region="county", county="county")
class CountyMembers(models.Model):
    county = models.CharField(_("county code"), max_length=6, primary_key=True)
    active = models.BigIntegerField(_("active members"), default=0)
    total = models.BigIntegerField(_("members"), default=0)

    class Meta:
        verbose_name = _("members per county")
        verbose_name_plural = _("members per county")

    def __str__(self) -> str:
        return f"{self.county}: {self.active}"
