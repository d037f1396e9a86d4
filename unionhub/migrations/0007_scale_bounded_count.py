"""``unionhub_bounded_count(query, exact_limit)``: a changelist's count in one round trip (PostgreSQL only).

The planner's estimate first (EXPLAIN, no rows read); when it is above ``exact_limit`` the estimate is the
answer, returned negative to say so; otherwise the rows are counted, but never more than ``exact_limit + 1``
of them (an overflow returns the larger of the two, negative). See ``unionhub.admin.scale``. The query text is
Django's own SQL with its parameters bound by the driver."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION unionhub_bounded_count(query text, exact_limit integer) RETURNS bigint AS $$
DECLARE
  plan json;
  estimate bigint;
  n bigint;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
  estimate := (plan->0->'Plan'->>'Plan Rows')::bigint;
  IF estimate > exact_limit THEN
    RETURN -estimate;
  END IF;
  EXECUTE format('SELECT count(*) FROM (%s LIMIT %s) AS bounded', query, exact_limit + 1) INTO n;
  IF n > exact_limit THEN
    RETURN -GREATEST(estimate, n);
  END IF;
  RETURN n;
END
$$ LANGUAGE plpgsql VOLATILE;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS unionhub_bounded_count(text, integer)")


class Migration(migrations.Migration):
    dependencies = [("unionhub", "0006_backup_schedule")]
    operations = [migrations.RunPython(create, drop)]
