"""Backups: the database (``pg_dump`` in its custom format, or SQLite's online backup) and the uploaded files,
taken while the site runs, kept ``BACKUP_KEEP`` deep; and the restore a county needs after losing its server.

``pg_dump`` reads one consistent snapshot of the database however long it takes and whatever is written
meanwhile, so a backup needs no downtime. The uploaded files (rosters, attachments) go into a tar file taken
right after; a file uploaded between the two is simply in the next backup."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from unionhub.envfile import LOADED_FROM
from unionhub.services.media import media_referenced

DUMP_SUFFIX = {"postgresql": ".dump", "sqlite": ".sqlite3"}


def _pg_url(database_url: str | None = None) -> str:
    if database_url:
        return database_url
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"


class BackupRefused(Exception):
    """There is nothing right to back up: no site configured, an empty database, the wrong media folder."""


def site_describe() -> str:
    """Which site a backup or restore acts on, in one line: the database (no password), the uploads' folder,
    and where those settings came from."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        where = (
            f"PostgreSQL {db.get('USER') or ''}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"
        )
    else:
        where = f"SQLite {db['NAME']}"
    source = os.environ.get(LOADED_FROM)
    origin = f"settings from {source}" if source else "settings from the environment (no stack's env file read)"
    if not source and not os.environ.get("DATABASE_URL"):
        origin = "DATABASE_URL unset: the default SQLite file; no stack's env file (.stack/env) here"
    return f"database {where}; uploads {settings.MEDIA_ROOT}; {origin}"


def backup_check() -> None:
    """Refuse (``BackupRefused``, saying what to do) to back up a database that is not there or has no
    tables, or an uploads' folder that is missing or holds none of the files the database names - the
    signs of a command run with the wrong settings, which would otherwise write a useless backup and
    exit 0. Never creates the SQLite file it looks for."""
    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).is_file():
        raise BackupRefused(
            f"no site to back up: {connection.settings_dict['NAME']} does not exist. Run this beside "
            "`make stack` (it reads .stack/env) or set DATABASE_URL, MEDIA_ROOT and SECRET_KEY (README, Backup)."
        )
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables or "unionhub_job" not in tables:
        raise BackupRefused(
            f"the database is empty (no unionhub tables): nothing to back up ({site_describe()}). "
            "Wrong DATABASE_URL? Run this beside `make stack`, or set the server's settings."
        )
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        raise BackupRefused(
            f"MEDIA_ROOT {root} does not exist: the uploaded files would be missing from the backup. "
            "Set MEDIA_ROOT to the site's uploads folder (create it empty if the site has none yet)."
        )
    named = media_referenced()
    if named and not any((root / name).is_file() for name in list(named)[:1000]):
        raise BackupRefused(
            f"MEDIA_ROOT {root} holds none of the {len(named)} uploaded files the database names: "
            "wrong MEDIA_ROOT? The backup would have an empty media archive."
        )


def backup_create(*, directory: Path | None = None, keep: int | None = None) -> list[Path]:
    """Take a backup now: ``unionhub-<local time>.dump`` (or ``.sqlite3``) and ``…-media.tar.gz``. Keeps the
    newest ``keep`` backups in ``directory`` and removes older ones. Returns the files written. Refused
    (``BackupRefused``) when there is nothing right to back up (``backup_check``)."""
    backup_check()
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    vendor = connection.vendor
    dump = directory / f"unionhub-{stamp}{DUMP_SUFFIX[vendor]}"
    partial = dump.with_name(dump.name + ".partial")
    if vendor == "postgresql":
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", _pg_url()],
            check=True,
            capture_output=True,
        )
    else:
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(partial)
        with target:
            source.backup(target)
        source.close()
        target.close()
    partial.rename(dump)  # a backup is either whole or not there
    media = directory / f"unionhub-{stamp}-media.tar.gz"
    with tarfile.open(media, "w:gz") as archive:
        root = Path(settings.MEDIA_ROOT)
        if root.is_dir():
            archive.add(root, arcname="media")
    backups_prune(directory=directory, keep=keep or settings.BACKUP_KEEP)
    return [dump, media]


def backups_prune(*, directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups (database and files together)."""
    dumps = sorted(p for p in directory.glob("unionhub-*") if p.suffix in (".dump", ".sqlite3"))
    removed = []
    for old in dumps[:-keep] if keep else []:
        stem = old.name.removesuffix(old.suffix)
        for path in (old, directory / f"{stem}-media.tar.gz"):
            if path.exists():
                path.unlink()
                removed.append(path)
    return removed


def backup_restore(*, dump: Path, media: Path | None = None, database_url: str | None = None) -> None:
    """Restore a backup into the configured (or given, empty or not) database and the media folder.
    PostgreSQL: ``pg_restore --clean --if-exists``, so a database that already has the tables is replaced.
    Then ``manage.py migrate`` brings it to the code's schema if the backup is older."""
    dump = Path(dump)
    if dump.suffix == ".dump":
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_pg_url(database_url)}",
                str(dump),
            ],
            check=True,
            capture_output=True,
        )
    else:
        shutil.copyfile(dump, database_url or connection.settings_dict["NAME"])
    if media is not None:
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(media) as archive:
            members = [m for m in archive.getmembers() if m.name == "media" or m.name.startswith("media/")]
            for member in members:
                member.name = member.name.removeprefix("media").lstrip("/") or "."
            archive.extractall(root, members=members, filter="data")
