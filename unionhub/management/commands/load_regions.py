from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from unionhub.services.regions import DEFAULT_REGION_FILE, regions_load


class Command(BaseCommand):
    help = "Load administrative divisions (GB/T 2260) from a code,name CSV file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_REGION_FILE))

    def handle(self, *args, path, **options):
        try:
            changed = regions_load(path=Path(path))
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(f"{changed} regions created or updated from {path}")
