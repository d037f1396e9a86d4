"""Each station's month in figures as rows kept by the database (stations.models.summaries.StationMonth): the
table, the triggers that add each statement's differences to it, and its first fill.

PostgreSQL: one statement-level trigger per operation on ``stations_activity`` (activities, participants) and
on ``stations_visitorcount`` (visitors), over its transition tables: the statement's rows grouped by station
and month, added (an insert), subtracted (a delete) or both (an update), in one upsert however many rows a
``COPY`` brings. A TRUNCATE sets the table's own figures to zero. SQLite (development, tests): row-level
triggers doing the same. Creating a trigger locks its table against writes until this migration commits, so
the fill reads exactly what the triggers then follow."""

import django.db.models.deletion
from django.db import migrations, models

# (table, the trigger functions' stem, {column of the summary: its amount per source row}, the columns an update
# must change to move a figure)
SOURCES = [
    (
        "stations_activity",
        "activities",
        {"activities": "1", "participants": "participants"},
        "date, station_id, participants",
    ),
    ("stations_visitorcount", "visitors", {"visitors": "visitors"}, "date, station_id, visitors"),
]
PG_MONTH = "date_trunc('month', date)::date"
FIGURES = ("activities", "participants", "visitors")  # a new row is written whole: the others are 0


def _pg_function(stem: str, op: str, figures: dict[str, str]) -> str:
    parts = []
    if op in ("insert", "update"):
        amounts = ", ".join(f"{e}::bigint AS {c}" for c, e in figures.items())
        parts.append(f"SELECT station_id, {PG_MONTH} AS month, {amounts} FROM new_rows")
    if op in ("delete", "update"):
        amounts = ", ".join(f"-({e}::bigint) AS {c}" for c, e in figures.items())
        parts.append(f"SELECT station_id, {PG_MONTH} AS month, {amounts} FROM old_rows")
    columns = ", ".join(FIGURES)
    sums = ", ".join(f"sum({c})" if c in figures else "0" for c in FIGURES)
    changed = " OR ".join(f"sum({c}) <> 0" for c in figures)
    added = ", ".join(f"{c} = m.{c} + EXCLUDED.{c}" for c in figures)
    return f"""
CREATE OR REPLACE FUNCTION stations_month_{stem}_{op}() RETURNS trigger AS $$
BEGIN
  INSERT INTO stations_stationmonth AS m (station_id, month, {columns})
  SELECT station_id, month, {sums} FROM ({" UNION ALL ".join(parts)}) AS changed
  GROUP BY station_id, month HAVING {changed} ORDER BY station_id, month
  ON CONFLICT (station_id, month) DO UPDATE SET {added};
  RETURN NULL;
END $$ LANGUAGE plpgsql;"""


def _pg_trigger(table: str, stem: str, op: str) -> str:
    tables = {"insert": "NEW TABLE AS new_rows", "delete": "OLD TABLE AS old_rows",
              "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}[op]  # fmt: skip
    return (f"CREATE TRIGGER {table}_month_{op} AFTER {op.upper()} ON {table} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION stations_month_{stem}_{op}();")  # fmt: skip


def _pg_truncate(table: str, stem: str, figures: dict[str, str]) -> str:
    zeros = ", ".join(f"{c} = 0" for c in figures)
    return f"""
CREATE OR REPLACE FUNCTION stations_month_{stem}_truncate() RETURNS trigger AS $$
BEGIN
  UPDATE stations_stationmonth SET {zeros};
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_month_truncate AFTER TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION stations_month_{stem}_truncate();"""


def _sqlite_add(figures: dict[str, str], row: str, sign: str) -> str:
    columns = ", ".join(FIGURES)
    amounts = {c: (e if e == "1" else f"{row}.{e}") for c, e in figures.items()}
    values = ", ".join(f"{sign}{amounts[c]}" if c in amounts else "0" for c in FIGURES)
    added = ", ".join(f"{c} = {c} + excluded.{c}" for c in figures)
    month = f"date({row}.date, 'start of month')"
    return (f" INSERT INTO stations_stationmonth (station_id, month, {columns}) VALUES ({row}.station_id, {month}, "
            f"{values}) ON CONFLICT (station_id, month) DO UPDATE SET {added};")  # fmt: skip


def follow(apps, schema_editor):
    execute = schema_editor.execute
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, stem, figures, watched in SOURCES:
        if postgres:
            execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            for op in ("insert", "delete", "update"):
                execute(_pg_function(stem, op, figures) + "\n" + _pg_trigger(table, stem, op), params=None)
            execute(_pg_truncate(table, stem, figures), params=None)
        else:
            execute(f"CREATE TRIGGER {table}_month_insert AFTER INSERT ON {table} BEGIN"
                    + _sqlite_add(figures, "NEW", "") + " END", params=None)  # fmt: skip
            execute(f"CREATE TRIGGER {table}_month_delete AFTER DELETE ON {table} BEGIN"
                    + _sqlite_add(figures, "OLD", "-") + " END", params=None)  # fmt: skip
            moved = _sqlite_add(figures, "OLD", "-") + _sqlite_add(figures, "NEW", "")
            execute(f"CREATE TRIGGER {table}_month_update AFTER UPDATE OF {watched} ON {table} BEGIN{moved} END",
                    params=None)  # fmt: skip
    month = PG_MONTH if postgres else "date(date, 'start of month')"
    execute("DELETE FROM stations_stationmonth")
    execute(
        "INSERT INTO stations_stationmonth (station_id, month, activities, participants, visitors) "
        "SELECT station_id, month, sum(a), sum(p), sum(v) FROM ("
        f"SELECT station_id, {month} AS month, count(*) AS a, sum(participants) AS p, 0 AS v FROM stations_activity "
        "GROUP BY 1, 2 UNION ALL "
        f"SELECT station_id, {month}, 0, 0, sum(visitors) FROM stations_visitorcount GROUP BY 1, 2"
        ") AS t GROUP BY station_id, month",
        params=None,
    )


def unfollow(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, stem, _figures, _watched in SOURCES:
        for op in ("insert", "delete", "update", "truncate"):
            if postgres:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_month_{op} ON {table}")
                schema_editor.execute(f"DROP FUNCTION IF EXISTS stations_month_{stem}_{op}()")
            elif op != "truncate":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_month_{op}")


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0015_region_status_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="StationMonth",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="month")),
                ("activities", models.IntegerField(default=0, verbose_name="activities")),
                ("participants", models.BigIntegerField(default=0, verbose_name="participants")),
                ("visitors", models.BigIntegerField(default=0, verbose_name="visitors")),
                (
                    "station",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stations.station",
                        verbose_name="station",
                    ),
                ),
            ],
            options={
                "verbose_name": "station's month",
                "verbose_name_plural": "stations' months",
                "indexes": [
                    models.Index(
                        fields=["month", "station"],
                        include=("activities", "participants", "visitors"),
                        name="stationmonth_month",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("station", "month"), name="stationmonth_one_per_month")
                ],
            },
        ),
        migrations.RunPython(follow, unfollow),
    ]
