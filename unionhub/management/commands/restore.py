import sys
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from unionhub.services.backups import backup_restore, site_describe


class Command(BaseCommand):
    help = (
        "Restore a backup (the .dump or .sqlite3 file, and its -media.tar.gz beside it) into DATABASE_URL "
        "and MEDIA_ROOT, replacing what is there. `make restore FILE=… YES=1` answers yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", help="the database file of the backup")
        parser.add_argument("--no-input", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        dump = Path(options["dump"])
        if not dump.exists():
            raise CommandError(f"{dump} does not exist")
        media = dump.with_name(dump.name.removesuffix(dump.suffix) + "-media.tar.gz")
        self.stderr.write(
            f"restoring {dump.name}{' and ' + media.name if media.exists() else ''} into: {site_describe()}"
        )
        if not options["no_input"]:
            if not sys.stdin.isatty():
                raise CommandError("not asked (no terminal): pass --no-input (make restore FILE=… YES=1) to replace")
            if input(f"Replace the database and files with {dump.name}? [y/N] ") != "y":
                raise CommandError("cancelled")
        backup_restore(dump=dump, media=media if media.exists() else None)
        call_command("migrate", "--no-input", verbosity=0)
        try:  # cached pages, figures and sessions of the replaced data
            cache.clear()
        except Exception as exc:
            self.stderr.write(f"the cache could not be cleared ({exc}); it expires by itself")
        self.stdout.write(self.style.SUCCESS(f"restored {dump.name}"))
