"""Members per county as rows kept by the database (membership.models.summaries): the table, the triggers that
keep it in the statement that changes members, and its first fill from the register.

PostgreSQL: one statement-level trigger per operation over its transition tables, so a roster import's
``INSERT … SELECT`` of 100,000 rows costs one grouped upsert, not 100,000. An update that changes neither the
status nor the county writes nothing (the grouped difference is zero). A TRUNCATE empties the figures.
SQLite (development, tests): row-level triggers doing the same. Creating a trigger locks the member table
against writes until this migration commits, so the fill counts exactly what the triggers then follow."""

from django.db import migrations, models

PG_INSERT = """
CREATE OR REPLACE FUNCTION membership_county_members_inserted() RETURNS trigger AS $$
BEGIN
  INSERT INTO membership_countymembers AS c (county, active, total)
  SELECT county, count(*) FILTER (WHERE status = 'active'), count(*) FROM new_rows GROUP BY county ORDER BY county
  ON CONFLICT (county) DO UPDATE SET active = c.active + EXCLUDED.active, total = c.total + EXCLUDED.total;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER membership_member_counts_insert AFTER INSERT ON membership_member
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION membership_county_members_inserted();
"""

PG_DELETE = """
CREATE OR REPLACE FUNCTION membership_county_members_deleted() RETURNS trigger AS $$
BEGIN
  INSERT INTO membership_countymembers AS c (county, active, total)
  SELECT county, -count(*) FILTER (WHERE status = 'active'), -count(*) FROM old_rows GROUP BY county ORDER BY county
  ON CONFLICT (county) DO UPDATE SET active = c.active + EXCLUDED.active, total = c.total + EXCLUDED.total;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER membership_member_counts_delete AFTER DELETE ON membership_member
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION membership_county_members_deleted();
"""

PG_UPDATE = """
CREATE OR REPLACE FUNCTION membership_county_members_updated() RETURNS trigger AS $$
BEGIN
  INSERT INTO membership_countymembers AS c (county, active, total)
  SELECT county, sum(active), sum(total) FROM (
    SELECT county, (status = 'active')::int AS active, 1 AS total FROM new_rows
    UNION ALL
    SELECT county, -(status = 'active')::int, -1 FROM old_rows
  ) AS changed
  GROUP BY county
  HAVING sum(active) <> 0 OR sum(total) <> 0
  ORDER BY county
  ON CONFLICT (county) DO UPDATE SET active = c.active + EXCLUDED.active, total = c.total + EXCLUDED.total;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER membership_member_counts_update AFTER UPDATE ON membership_member
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION membership_county_members_updated();
"""

PG_TRUNCATE = """
CREATE OR REPLACE FUNCTION membership_county_members_truncated() RETURNS trigger AS $$
BEGIN
  DELETE FROM membership_countymembers;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER membership_member_counts_truncate AFTER TRUNCATE ON membership_member
  FOR EACH STATEMENT EXECUTE FUNCTION membership_county_members_truncated();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS membership_member_counts_insert ON membership_member;
DROP TRIGGER IF EXISTS membership_member_counts_delete ON membership_member;
DROP TRIGGER IF EXISTS membership_member_counts_update ON membership_member;
DROP TRIGGER IF EXISTS membership_member_counts_truncate ON membership_member;
DROP FUNCTION IF EXISTS membership_county_members_inserted();
DROP FUNCTION IF EXISTS membership_county_members_deleted();
DROP FUNCTION IF EXISTS membership_county_members_updated();
DROP FUNCTION IF EXISTS membership_county_members_truncated();
"""

_SQLITE_ADD = """
  INSERT INTO membership_countymembers (county, active, total) VALUES ({row}.county, {sign}({row}.status = 'active'),
  {sign}1) ON CONFLICT (county) DO UPDATE SET active = active + excluded.active, total = total + excluded.total;"""

SQLITE_TRIGGERS = [
    "CREATE TRIGGER membership_member_counts_insert AFTER INSERT ON membership_member BEGIN"
    + _SQLITE_ADD.format(row="NEW", sign="")
    + " END",
    "CREATE TRIGGER membership_member_counts_delete AFTER DELETE ON membership_member BEGIN"
    + _SQLITE_ADD.format(row="OLD", sign="-")
    + " END",
    "CREATE TRIGGER membership_member_counts_update AFTER UPDATE OF status, county ON membership_member BEGIN"
    + _SQLITE_ADD.format(row="OLD", sign="-")
    + _SQLITE_ADD.format(row="NEW", sign="")
    + " END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS membership_member_counts_{op}" for op in ("insert", "delete", "update")
]

FILL = """
INSERT INTO membership_countymembers (county, active, total)
SELECT county, sum(CASE WHEN status = 'active' THEN 1 ELSE 0 END), count(*) FROM membership_member GROUP BY county
"""


def follow(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute("LOCK TABLE membership_member IN SHARE ROW EXCLUSIVE MODE")
        for sql in (PG_INSERT, PG_DELETE, PG_UPDATE, PG_TRUNCATE):
            execute(sql, params=None)
    else:
        for sql in SQLITE_TRIGGERS:
            execute(sql, params=None)
    execute("DELETE FROM membership_countymembers")
    execute(FILL, params=None)


def unfollow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    else:
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("membership", "0017_merge_20261205_1117")]

    operations = [
        migrations.CreateModel(
            name="CountyMembers",
            fields=[
                (
                    "county",
                    models.CharField(max_length=6, primary_key=True, serialize=False, verbose_name="county code"),
                ),
                ("active", models.BigIntegerField(default=0, verbose_name="active members")),
                ("total", models.BigIntegerField(default=0, verbose_name="members")),
            ],
            options={"verbose_name": "members per county", "verbose_name_plural": "members per county"},
        ),
        migrations.RunPython(follow, unfollow),
    ]
