# The county staff's order indexes (membership.models.members), built concurrently on PostgreSQL.

from django.db import migrations, models

from unionhub.db.operations import AddIndexSafely


class Migration(migrations.Migration):
    atomic = False  # concurrent index builds cannot run inside a transaction

    dependencies = [
        ("membership", "0013_member_county"),
    ]

    operations = [
        AddIndexSafely(
            model_name="member",
            index=models.Index(fields=["county", "join_date", "card_number"], name="member_county_join_order"),
        ),
        AddIndexSafely(
            model_name="member",
            index=models.Index(fields=["county", "card_number"], name="member_county_card"),
        ),
    ]
