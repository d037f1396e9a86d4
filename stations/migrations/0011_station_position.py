# The finder's box index (stations.selectors.registry.nearest_slice), built concurrently on PostgreSQL.

from django.db import migrations, models

from unionhub.db.operations import AddIndexSafely


class Migration(migrations.Migration):
    atomic = False  # a concurrent index build cannot run inside a transaction

    dependencies = [
        ("stations", "0010_allocation_county"),
    ]

    operations = [
        AddIndexSafely(
            model_name="station",
            index=models.Index(
                condition=models.Q(("status", "operating")),
                fields=["latitude", "longitude"],
                name="station_position",
            ),
        ),
    ]
