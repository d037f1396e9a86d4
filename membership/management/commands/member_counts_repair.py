"""``manage.py member_counts_repair``: recount the members-per-county figures from the register and say which
counties were wrong (none, normally: triggers keep them). Safe to run again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from membership.services.summaries import member_counts_rebuild


class Command(BaseCommand):
    help = "Recount the members per county from the register (the summary the admin's home page reads)."

    def handle(self, *args, **options):
        result = member_counts_rebuild()
        repaired = ", ".join(result["repaired"]) or "none"
        self.stdout.write(f"{result['checked']} counties checked; repaired: {repaired}")
