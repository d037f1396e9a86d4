# Fewer places a roster import writes at a place set by the person (README, "a 100,000-row roster imported into
# the 10M register"): the name in code-point order, so that one index sorts by it and finds its first
# characters (two indexes before), and the tails after the county, so that a county's roster writes one run of
# each. On PostgreSQL every index is dropped and built concurrently (unionhub.db.operations): the register stays
# readable and writable. The indexes on the name go first, so that the change of collation (no rewrite of the
# table) rebuilds none of them under a lock; the trigram indexes are built again after it.

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

import unionhub.db.fields
from unionhub.db.operations import AddIndexSafely, RemoveIndexSafely

TABLES = ["membership_member", "membership_historicalmember", "membership_membershipapplication"]


def name_field():
    return unionhub.db.fields.CodePointCharField(max_length=50, verbose_name="full name")


def name_trigrams(name):
    return django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('name'), name='gin_trgm_ops'),
        name=name,
    )


def county_tail(field, name):
    return models.Index(models.F('county'), django.db.models.functions.text.Right(field, 4), name=name)


def _collate(schema_editor, collation):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "name" TYPE varchar(50) COLLATE {collation}')


def collate_names(apps, schema_editor):
    _collate(schema_editor, '"C"')


def uncollate_names(apps, schema_editor):
    _collate(schema_editor, '"default"')


class Migration(migrations.Migration):
    # Concurrent index builds (PostgreSQL) cannot run inside a transaction; see unionhub.db.operations.
    atomic = False

    dependencies = [
        ('membership', '0023_staging_slice_index'),
        ('unionhub', '0010_media_orphans_schedule'),
    ]

    operations = [
        RemoveIndexSafely(model_name='member', name='member_name_order'),
        RemoveIndexSafely(model_name='member', name='member_name_prefix'),
        RemoveIndexSafely(model_name='member', name='member_name_trgm'),
        RemoveIndexSafely(model_name='membershipapplication', name='application_name_trgm'),
        RemoveIndexSafely(model_name='member', name='member_mobile_tail'),
        RemoveIndexSafely(model_name='member', name='member_resident_id_tail'),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name='historicalmember', name='name', field=name_field()),
                migrations.AlterField(model_name='member', name='name', field=name_field()),
                migrations.AlterField(model_name='membershipapplication', name='name', field=name_field()),
            ],
            # Only PostgreSQL's columns change. SQLite's would not, but Django would copy each table to alter it
            # (and drop the member table's triggers on the way).
            database_operations=[migrations.RunPython(collate_names, uncollate_names, elidable=False)],
        ),
        AddIndexSafely(
            model_name='member',
            index=models.Index(fields=['name'], name='member_name'),
        ),
        AddIndexSafely(
            model_name='member',
            index=name_trigrams('member_name_trgm'),
        ),
        AddIndexSafely(
            model_name='membershipapplication',
            index=name_trigrams('application_name_trgm'),
        ),
        AddIndexSafely(
            model_name='member',
            index=county_tail('mobile', 'member_mobile_tail'),
        ),
        AddIndexSafely(
            model_name='member',
            index=county_tail('resident_id', 'member_resident_id_tail'),
        ),
    ]
