# The member's county column and its two-column foreign key to the union's county, made safely on a full
# register (unionhub.db.county). The two county indexes are built concurrently in 0014.

from django.db import migrations, models

from unionhub.db.county import county_key_operations


class Migration(migrations.Migration):
    atomic = False  # each batch of the fill commits on its own

    dependencies = [
        ("membership", "0012_scale_name_statistics"),
        ("unionhub", "0008_union_county"),
    ]

    operations = county_key_operations(
        model_name="membership.member",
        table="membership_member",
        key=models.ForeignKey(
            db_constraint=False,
            db_index=False,
            on_delete=models.deletion.PROTECT,
            related_name="members",
            to="unionhub.unionorganization",
            verbose_name="grassroots union",
        ),
        key_name="union",
        parent_table="unionhub_unionorganization",
        constraint="member_union_county_fk",
    )
