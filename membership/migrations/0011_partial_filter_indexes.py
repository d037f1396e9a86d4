# The status and source filter indexes become partial (see membership.models.members): built concurrently
# before the full ones are dropped, so the filters keep an index throughout.

from django.db import migrations, models

from unionhub.db.operations import AddIndexSafely, RemoveIndexSafely


class Migration(migrations.Migration):
    # Concurrent index builds and drops (PostgreSQL) cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("membership", "0010_import_constraints"),
    ]

    operations = [
        AddIndexSafely(
            model_name="member",
            index=models.Index(
                condition=models.Q(("status", "active"), _negated=True),
                fields=["status", "join_date", "card_number"],
                name="member_status_not_active",
            ),
        ),
        AddIndexSafely(
            model_name="member",
            index=models.Index(
                condition=models.Q(("source", "import"), _negated=True),
                fields=["source", "join_date", "card_number"],
                name="member_source_not_import",
            ),
        ),
        RemoveIndexSafely(model_name="member", name="member_status_order"),
        RemoveIndexSafely(model_name="member", name="member_source_order"),
    ]
