# The search by what a caller reads out (unionhub.search.number_condition): the last four of a mobile or an ID
# ("尾号1813"), an expression index each on RIGHT(field, 4), built concurrently on PostgreSQL. Nothing to fill
# in: the database computes the expression, for rows written by save() and by a roster import's COPY alike.

from django.db import migrations

from unionhub.db.indexes import tail_index
from unionhub.db.operations import AddIndexSafely


class Migration(migrations.Migration):
    # Concurrent index builds (PostgreSQL) cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("membership", "0015_reveal_subjects"),
    ]

    operations = [
        AddIndexSafely(model_name="member", index=tail_index("mobile", name="member_mobile_tail")),
        AddIndexSafely(model_name="member", index=tail_index("resident_id", name="member_resident_id_tail")),
        AddIndexSafely(
            model_name="membershipapplication", index=tail_index("mobile", name="application_mobile_tail")
        ),
        AddIndexSafely(
            model_name="membershipapplication",
            index=tail_index("resident_id", name="application_resident_id_tail"),
        ),
    ]
