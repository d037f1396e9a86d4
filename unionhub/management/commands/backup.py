from django.core.management.base import BaseCommand, CommandError

from unionhub.services.backups import BackupRefused, backup_create, site_describe


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into BACKUP_DIR (while the site runs), keeping BACKUP_KEEP."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="where to write (default: BACKUP_DIR)")

    def handle(self, *args, **options):
        self.stderr.write(f"backing up: {site_describe()}")
        try:
            paths = backup_create(directory=options["dir"])
        except BackupRefused as exc:
            raise CommandError(str(exc)) from None
        for path in paths:
            self.stdout.write(str(path))
