from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from unionhub.demo.core import DEMO_PASSWORD, DEMO_USERS, seed_core

# Each app's demo module, in dependency order; each exposes seed(core) and is idempotent. seed may return the
# app's own demo accounts, (username, who) pairs, printed with the core's.
DEMO_MODULES: list[str] = [
    "stations.demo",
    "membership.demo",
    "casework.demo",
    "hardship.demo",
    "outreach.demo",
    "employment.demo",
]


class Command(BaseCommand):
    help = "Load the demo county (沁水县) with its unions, stations, members and one user per role. Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            core = seed_core()
            accounts = [(username, full_name) for username, full_name, *_ in DEMO_USERS]
            for name in DEMO_MODULES:
                accounts += import_module(name).seed(core) or []
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Accounts (password for all: %s):" % DEMO_PASSWORD))
        for username, full_name in accounts:
            self.stdout.write(f"  {username:<12} {full_name}")
