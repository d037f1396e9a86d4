"""Each station's latest activity date as a row kept by the database (stations.models.summaries): the table,
the triggers that keep it in the statement that changes activities, and its first fill.

PostgreSQL: one statement-level trigger per operation over its transition tables - an insert raises each
touched station's date to the statement's latest (one grouped upsert however many rows a ``COPY`` brings);
an update or a delete recomputes the touched stations' dates from their activities (an index probe each,
``activity_station_date``). A TRUNCATE empties the dates. SQLite (development, tests): row-level triggers
doing the same. Creating a trigger locks the activity table against writes until this migration commits, so
the fill reads exactly what the triggers then follow."""

import django.db.models.deletion
from django.db import migrations, models

PG_INSERT = """
CREATE OR REPLACE FUNCTION stations_last_activity_inserted() RETURNS trigger AS $$
BEGIN
  INSERT INTO stations_lastactivity AS l (station_id, date)
  SELECT station_id, max(date) FROM new_rows GROUP BY station_id ORDER BY station_id
  ON CONFLICT (station_id) DO UPDATE SET date = GREATEST(l.date, EXCLUDED.date);
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER stations_activity_last_insert AFTER INSERT ON stations_activity
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stations_last_activity_inserted();
"""

_PG_RECOMPUTE = """
  INSERT INTO stations_lastactivity AS l (station_id, date)
  SELECT t.station_id, (SELECT max(a.date) FROM stations_activity a WHERE a.station_id = t.station_id)
  FROM ({touched}) AS t ORDER BY t.station_id
  ON CONFLICT (station_id) DO UPDATE SET date = EXCLUDED.date;
"""

PG_DELETE = f"""
CREATE OR REPLACE FUNCTION stations_last_activity_deleted() RETURNS trigger AS $$
BEGIN
  {_PG_RECOMPUTE.format(touched="SELECT DISTINCT station_id FROM old_rows")}
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER stations_activity_last_delete AFTER DELETE ON stations_activity
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stations_last_activity_deleted();
"""

PG_UPDATE = f"""
CREATE OR REPLACE FUNCTION stations_last_activity_updated() RETURNS trigger AS $$
BEGIN
  {_PG_RECOMPUTE.format(touched="SELECT station_id FROM old_rows UNION SELECT station_id FROM new_rows")}
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER stations_activity_last_update AFTER UPDATE ON stations_activity
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stations_last_activity_updated();
"""

PG_TRUNCATE = """
CREATE OR REPLACE FUNCTION stations_last_activity_truncated() RETURNS trigger AS $$
BEGIN
  UPDATE stations_lastactivity SET date = NULL WHERE date IS NOT NULL;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER stations_activity_last_truncate AFTER TRUNCATE ON stations_activity
  FOR EACH STATEMENT EXECUTE FUNCTION stations_last_activity_truncated();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS stations_activity_last_insert ON stations_activity;
DROP TRIGGER IF EXISTS stations_activity_last_delete ON stations_activity;
DROP TRIGGER IF EXISTS stations_activity_last_update ON stations_activity;
DROP TRIGGER IF EXISTS stations_activity_last_truncate ON stations_activity;
DROP FUNCTION IF EXISTS stations_last_activity_inserted();
DROP FUNCTION IF EXISTS stations_last_activity_deleted();
DROP FUNCTION IF EXISTS stations_last_activity_updated();
DROP FUNCTION IF EXISTS stations_last_activity_truncated();
"""

_SQLITE_RECOMPUTE = """
  INSERT INTO stations_lastactivity (station_id, date) VALUES ({row}.station_id,
  (SELECT max(date) FROM stations_activity WHERE station_id = {row}.station_id))
  ON CONFLICT (station_id) DO UPDATE SET date = excluded.date;"""

SQLITE_TRIGGERS = [
    "CREATE TRIGGER stations_activity_last_insert AFTER INSERT ON stations_activity BEGIN"
    " INSERT INTO stations_lastactivity (station_id, date) VALUES (NEW.station_id, NEW.date)"
    " ON CONFLICT (station_id) DO UPDATE SET date = max(coalesce(date, excluded.date), excluded.date); END",
    "CREATE TRIGGER stations_activity_last_delete AFTER DELETE ON stations_activity BEGIN"
    + _SQLITE_RECOMPUTE.format(row="OLD")
    + " END",
    "CREATE TRIGGER stations_activity_last_update AFTER UPDATE OF date, station_id ON stations_activity BEGIN"
    + _SQLITE_RECOMPUTE.format(row="OLD")
    + _SQLITE_RECOMPUTE.format(row="NEW")
    + " END",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS stations_activity_last_{op}" for op in ("insert", "delete", "update")]

FILL = """
INSERT INTO stations_lastactivity (station_id, date)
SELECT station_id, max(date) FROM stations_activity GROUP BY station_id
"""


def follow(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute("LOCK TABLE stations_activity IN SHARE ROW EXCLUSIVE MODE")
        for sql in (PG_INSERT, PG_DELETE, PG_UPDATE, PG_TRUNCATE):
            execute(sql, params=None)
    else:
        for sql in SQLITE_TRIGGERS:
            execute(sql, params=None)
    execute("DELETE FROM stations_lastactivity")
    execute(FILL, params=None)


def unfollow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    else:
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("stations", "0013_star_ending_index")]

    operations = [
        migrations.CreateModel(
            name="LastActivity",
            fields=[
                (
                    "station",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="stations.station",
                        verbose_name="station",
                    ),
                ),
                ("date", models.DateField(null=True, verbose_name="latest activity")),
            ],
            options={
                "verbose_name": "station's latest activity",
                "verbose_name_plural": "stations' latest activities",
                "indexes": [models.Index(fields=["date"], name="lastactivity_date")],
            },
        ),
        migrations.RunPython(follow, unfollow),
    ]
