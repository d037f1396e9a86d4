# The union's county code (the first six digits of its region), a stored generated column, and the unique
# (id, county) that members' two-column foreign key points at (membership 0013). The union table is small (a
# county has hundreds of unions), so the rewrite that adding a stored column makes is brief.

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("unionhub", "0007_scale_bounded_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="unionorganization",
            name="county",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Left("region", 6),
                output_field=models.CharField(max_length=6),
            ),
        ),
        migrations.AddConstraint(
            model_name="unionorganization",
            constraint=models.UniqueConstraint(fields=("id", "county"), name="unionorg_id_county"),
        ),
    ]
