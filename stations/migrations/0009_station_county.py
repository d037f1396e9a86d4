# The station's county code (the first six digits of its region), a stored generated column, and the unique
# (id, county) that subsidy allocations' two-column foreign key points at (0010). Adding a stored column
# rewrites the station table once: about a second at 100,000 stations.

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0008_scale_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="station",
            name="county",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Left("region", 6),
                output_field=models.CharField(max_length=6),
            ),
        ),
        migrations.AddConstraint(
            model_name="station",
            constraint=models.UniqueConstraint(fields=("id", "county"), name="station_id_county"),
        ),
    ]
