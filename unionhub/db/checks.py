"""Database checks (``manage.py check --database default``; ``migrate`` runs them too).

The database's collation. Every text comparison in an index - the register's ID and card numbers, mobiles,
county codes, statuses, in 15 of its indexes - goes through it: under ``C`` PostgreSQL compares the bytes
(``memcmp``); under any other collation it calls the C library's ``strcoll`` for each comparison, even
``C.UTF-8``, whose order is the same (by code point). A roster import compares several million keys while
it writes the register's indexes: about a tenth of its writing time goes to those calls (README, "The
database's collation"). A cluster made with another locale (``zh_CN.UTF-8``, ``en_US.UTF-8``) also sorts
Chinese text by its own rules, not in the code-point order the register's names use
(``unionhub.db.fields.CodePointCharField``)."""

from __future__ import annotations

from django.core import checks

FAST_COLLATIONS = {"C", "POSIX"}


@checks.register(checks.Tags.database)
def database_collation(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    from django.db import connections

    found = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            found.extend(collation_warnings(alias, cursor.fetchone()[0]))
    return found


def collation_warnings(alias: str, collate: str) -> list[checks.CheckMessage]:
    """A warning for a PostgreSQL database ``alias`` made with ``collate`` as its LC_COLLATE, unless it is C."""
    if collate in FAST_COLLATIONS:
        return []
    return [
        checks.Warning(
            f"The database {alias!r} was created with LC_COLLATE {collate!r}: PostgreSQL calls strcoll() for every "
            "text comparison, and a roster import spends about a tenth of its writing time there.",
            hint="Create the database with LC_COLLATE 'C' and LC_CTYPE 'C.UTF-8' (createdb --template template0 "
            "--lc-collate C --lc-ctype C.UTF-8 unionhub; README, section: The database's collation).",
            id="unionhub.W001",
        )
    ]
