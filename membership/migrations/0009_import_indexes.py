# Indexes that no query uses and every roster import pays for (see membership.models.members): the member's
# own union index (member_union_status and member_union_join_order begin with the union), the LIKE twins of
# the unique ID and card number (searched by exact match only), and the history's union index.

import django.db.models.deletion
from django.db import migrations, models

from unionhub.db.operations import DropIndexSafely


class Migration(migrations.Migration):
    # Concurrent index drops (PostgreSQL) cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("membership", "0008_scale_member_exports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="member",
                    name="union",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="unionhub.unionorganization",
                        verbose_name="grassroots union",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalmember",
                    name="union",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="unionhub.unionorganization",
                        verbose_name="grassroots union",
                    ),
                ),
            ],
            database_operations=[
                DropIndexSafely("membership_member", "membership_member_union_id_4e27e5c1", '"union_id"'),
                DropIndexSafely(
                    "membership_historicalmember", "membership_historicalmember_union_id_6d0a0b44", '"union_id"'
                ),
            ],
        ),
        DropIndexSafely(
            "membership_member",
            "membership_member_resident_id_101731db_like",
            '"resident_id" varchar_pattern_ops',
            postgres_only=True,
        ),
        DropIndexSafely(
            "membership_member",
            "membership_member_card_number_3f27aaef_like",
            '"card_number" varchar_pattern_ops',
            postgres_only=True,
        ),
    ]
