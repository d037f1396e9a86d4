# The subsidy allocation's county column and its two-column foreign key to the station's county, made safely
# on a full table (unionhub.db.county), and the county staff's index, built concurrently on PostgreSQL.

from django.db import migrations, models

from unionhub.db.county import county_key_operations
from unionhub.db.operations import AddIndexSafely


class Migration(migrations.Migration):
    atomic = False  # the fill commits batch by batch; a concurrent index build cannot run in a transaction

    dependencies = [
        ("stations", "0009_station_county"),
    ]

    operations = [
        *county_key_operations(
            model_name="stations.subsidyallocation",
            table="stations_subsidyallocation",
            key=models.ForeignKey(
                db_constraint=False,
                on_delete=models.deletion.PROTECT,
                related_name="subsidy_allocations",
                to="stations.station",
                verbose_name="station",
            ),
            key_name="station",
            parent_table="stations_station",
            constraint="allocation_station_county_fk",
        ),
        AddIndexSafely(
            model_name="subsidyallocation",
            index=models.Index(fields=["county", "id"], name="allocation_county_order"),
        ),
    ]
