"""A county column kept equal to a parent row's county by the database, added safely to a full table.

Scoping reads a large table's county from the row itself (``unionhub.scoping``, ``county``): the member's, from
its union; the subsidy allocation's, from its station. The parent has ``county``, a stored generated column
(the first six digits of its region code), unique together with its id; the child gets

* ``county``, added empty (no rewrite of the table), then filled in batches of ids, each its own short
  transaction (the migration is not atomic), then whatever was added meanwhile;
* on PostgreSQL, a two-column foreign key ``(parent_id, county) -> parent (id, county) ON UPDATE CASCADE``,
  added ``NOT VALID`` (no scan under a lock) and then validated (which lets reads and writes go on). It
  replaces the one-column key on the parent: a write that leaves the county out or gets it wrong fails, and
  a parent's move to another county carries over to its rows;
* on PostgreSQL, ``NOT NULL``, set after a validated ``CHECK (county IS NOT NULL)`` so that it needs no scan.

SQLite (development) keeps the column nullable and the one-column key in the database: altering either would
remake the table, with every index of the state, including PostgreSQL-only ones. There the models set the
county on save, bulk writes name it, and ``follow_county`` (a ``post_save`` receiver on the parent) carries a
parent's move to another county over to its rows.
"""

from __future__ import annotations

from django.db import migrations, models

BATCH = 50_000


def follow_county(model, key_name: str):
    """A ``post_save`` receiver for the parent: its rows of ``model`` (through ``key_name``) take its county
    when it has moved to another. PostgreSQL does this itself (the key's ON UPDATE CASCADE), and the receiver
    finds nothing to change there; on SQLite it is what does it."""

    def receiver(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
        if created or raw:
            return
        county = instance.region_id[:6]
        model.objects.filter(**{f"{key_name}_id": instance.pk}).exclude(county=county).update(county=county)

    return receiver


def _fill_sql(table: str, key: str, parent_table: str) -> str:
    return (
        f"UPDATE {table} SET county = (SELECT substr(p.region_id, 1, 6) FROM {parent_table} p "
        f"WHERE p.id = {table}.{key}_id) WHERE county IS NULL"
    )


def county_key_operations(*, model_name: str, table: str, key: models.ForeignKey, key_name: str,
                          parent_table: str, constraint: str) -> list:  # fmt: skip
    """The operations adding ``county`` to ``model_name`` (table ``table``), whose foreign key ``key_name``
    (its final definition: ``key``, with ``db_constraint=False``) points at ``parent_table``."""
    fill = _fill_sql(table, key_name, parent_table)
    forward = [
        f"ALTER TABLE {table} ADD CONSTRAINT {constraint} FOREIGN KEY ({key_name}_id, county) "
        f"REFERENCES {parent_table} (id, county) ON UPDATE CASCADE NOT VALID",
        f"ALTER TABLE {table} VALIDATE CONSTRAINT {constraint}",
        f"ALTER TABLE {table} ADD CONSTRAINT {table}_county_not_null CHECK (county IS NOT NULL) NOT VALID",
        f"ALTER TABLE {table} VALIDATE CONSTRAINT {table}_county_not_null",
        f"ALTER TABLE {table} ALTER COLUMN county SET NOT NULL",
        f"ALTER TABLE {table} DROP CONSTRAINT {table}_county_not_null",
    ]
    backward = [
        f"ALTER TABLE {table} ALTER COLUMN county DROP NOT NULL",
        f"ALTER TABLE {table} DROP CONSTRAINT {constraint}",
    ]

    def fill_batches(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), -1) FROM {table}")
            low, high = cursor.fetchone()
            for start in range(low, high + 1, BATCH):
                cursor.execute(f"{fill} AND id >= %s AND id < %s", [start, start + BATCH])
            cursor.execute(fill)

    def key_fields(apps):
        model = apps.get_model(model_name.split(".")[0], model_name.split(".")[1])
        keyed = model._meta.get_field(key_name)
        unkeyed = keyed.clone()
        unkeyed.db_constraint = False
        unkeyed.remote_field.model = keyed.remote_field.model  # clone() leaves it as the "app.model" string
        unkeyed.set_attributes_from_name(key_name)
        unkeyed.model = model
        return model, keyed, unkeyed

    def constrain(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model, keyed, unkeyed = key_fields(apps)
        for statement in forward:
            schema_editor.execute(statement)
        schema_editor.alter_field(model, keyed, unkeyed)

    def unconstrain(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model, keyed, unkeyed = key_fields(apps)
        schema_editor.alter_field(model, unkeyed, keyed)
        for statement in backward:
            schema_editor.execute(statement)

    name = model_name.split(".")[1]
    return [
        migrations.AddField(
            model_name=name,
            name="county",
            field=models.CharField(editable=False, max_length=6, null=True, verbose_name="county code"),
        ),
        migrations.RunPython(fill_batches, migrations.RunPython.noop, elidable=False),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name=name, name=key_name, field=key),
                migrations.AlterField(
                    model_name=name,
                    name="county",
                    field=models.CharField(editable=False, max_length=6, verbose_name="county code"),
                ),
            ],
            database_operations=[migrations.RunPython(constrain, unconstrain)],
        ),
    ]
