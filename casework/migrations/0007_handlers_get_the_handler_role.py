"""Every union's existing handlers (chairs, desks) get the handler role the union they serve now gives
(``casework.services.handlers.union_handler_add``): before it, a chair with no other role got 403 on the
request list. The group's permissions are set after ``migrate`` (``unionhub.roles.sync_roles``)."""

from django.db import migrations

HANDLER_GROUP = "工会主席及窗口人员"


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    UnionHandler = apps.get_model("casework", "UnionHandler")
    user_ids = set(UnionHandler.objects.values_list("user_id", flat=True))
    if not user_ids:
        return
    group, _ = Group.objects.get_or_create(name=HANDLER_GROUP)
    User.objects.filter(pk__in=user_ids, is_staff=False).update(is_staff=True)
    group.user_set.add(*user_ids)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0006_request_channel_confidential_stalled"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
