from django.core.management.base import BaseCommand

from unionhub.services.backups import backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into BACKUP_DIR (while the site runs), keeping BACKUP_KEEP."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="where to write (default: BACKUP_DIR)")

    def handle(self, *args, **options):
        for path in backup_create(directory=options["dir"]):
            self.stdout.write(str(path))
