"""The planner sees the member names in finer detail: a thousand histogram buckets for ``name`` (PostgreSQL's
default is a hundred).

With a hundred, a two-character name prefix ("刘红", about 0.15 % of the register) is estimated at 1 % of it; the
planner then reads the list in join-date order hoping to meet 50 matches soon, and walked 73,000 rows to find
them (42 ms at 300,000 members). With a thousand it reads the few matches through ``member_name_prefix`` and
sorts them (1.3 ms). No index, no write cost: ANALYZE samples more rows (300 x the target). PostgreSQL only;
the statement takes a lock that lets reads and writes go on."""

from django.db import migrations


def finer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE membership_member ALTER COLUMN name SET STATISTICS 1000")
        schema_editor.execute("ANALYZE membership_member (name)")


def default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE membership_member ALTER COLUMN name SET STATISTICS -1")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("membership", "0011_partial_filter_indexes")]
    operations = [migrations.RunPython(finer, default)]
