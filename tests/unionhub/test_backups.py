"""Backup and restore: a backup taken from the live database restores into an empty one with the same rows,
the same card-number counters and a working site; old backups are pruned."""

from __future__ import annotations

import subprocess
import urllib.request
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from membership import services as membership_services
from membership.models import CardCounter
from tests.factories import QINSHUI
from tests.membership.factories import ApplicationFactory, union_in
from tests.stack import processes
from tests.stations.factories import StationFactory, ensure_catalogues
from unionhub.services.backups import backup_create, backup_restore, backups_prune


def table_counts(url: str) -> dict[str, int]:
    import psycopg2

    conn = psycopg2.connect(url)
    cursor = conn.cursor()
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_the_same_rows_and_a_working_site(
    alice, tmp_path, settings, static_root_for_backup
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "rosters").mkdir(parents=True)
    (tmp_path / "media" / "rosters" / "花名册.csv").write_text("姓名\n张伟\n", encoding="utf-8")
    ensure_catalogues()
    station = StationFactory(region_id="140521104")
    union = union_in(QINSHUI, name="嘉峰煤矿工会")
    for _ in range(3):
        membership_services.application_approve(application=ApplicationFactory(union=union), by=alice)
    dump, media = backup_create(directory=tmp_path / "backups")
    assert dump.suffix == ".dump" and media.exists()

    source = processes.test_database_url()
    name = f"restored_{uuid.uuid4().hex[:8]}"
    target = urlunsplit(urlsplit(source)._replace(path=f"/{name}"))
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        settings.MEDIA_ROOT = tmp_path / "restored-media"
        backup_restore(dump=dump, media=media, database_url=target)
        assert table_counts(target) == table_counts(source)
        assert (tmp_path / "restored-media" / "rosters" / "花名册.csv").read_text(encoding="utf-8") == "姓名\n张伟\n"
        import psycopg2

        conn = psycopg2.connect(target)
        cursor = conn.cursor()
        cursor.execute("SELECT county_id, year, last FROM membership_cardcounter ORDER BY 1, 2")
        assert cursor.fetchall() == list(
            CardCounter.objects.order_by("county_id", "year").values_list("county_id", "year", "last")
        )
        conn.close()
        # A working site on the restored database.
        env = processes.stack_env(DATABASE_URL=target, STATIC_ROOT=str(static_root_for_backup))
        proc, base = processes.start_web(tmp_path, env=env)
        try:
            with urllib.request.urlopen(f"{base}/stations/{station.code}/", timeout=10) as response:
                assert response.status == 200 and station.name in response.read().decode()
        finally:
            proc.stop()
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def static_root_for_backup(tmp_path_factory):
    root = tmp_path_factory.mktemp("static-backup")
    env = processes.stack_env(STATIC_ROOT=str(root))
    env.pop("DATABASE_URL")
    subprocess.run(
        [str(processes.BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=processes.ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return root


def test_only_the_newest_backups_are_kept(tmp_path):
    for stamp in ("20261101-030000", "20261102-030000", "20261103-030000"):
        (tmp_path / f"unionhub-{stamp}.dump").write_bytes(b"x")
        (tmp_path / f"unionhub-{stamp}-media.tar.gz").write_bytes(b"x")
    removed = backups_prune(directory=tmp_path, keep=2)
    assert sorted(p.name for p in removed) == ["unionhub-20261101-030000-media.tar.gz", "unionhub-20261101-030000.dump"]
    assert sorted(p.name for p in tmp_path.iterdir())[0] == "unionhub-20261102-030000-media.tar.gz"


def test_an_sqlite_site_backs_up_and_restores_its_file(tmp_path, settings, monkeypatch):
    import sqlite3
    from types import SimpleNamespace

    from unionhub.services import backups

    site = tmp_path / "db.sqlite3"
    with sqlite3.connect(site) as db:
        db.execute("CREATE TABLE member (name TEXT)")
        db.execute("INSERT INTO member VALUES ('张伟')")
    monkeypatch.setattr(backups, "connection", SimpleNamespace(vendor="sqlite", settings_dict={"NAME": str(site)}))
    monkeypatch.setattr(backups, "backup_check", lambda: None)  # a one-table stand-in, not a site (test_operations)
    settings.MEDIA_ROOT = tmp_path / "media"
    dump, _media = backup_create(directory=tmp_path / "backups", keep=3)
    with sqlite3.connect(site) as db:
        db.execute("DELETE FROM member")
    backup_restore(dump=dump)
    with sqlite3.connect(site) as db:
        assert db.execute("SELECT name FROM member").fetchall() == [("张伟",)]
