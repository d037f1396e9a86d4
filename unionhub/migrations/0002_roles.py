"""Create the role groups. Their permissions are set by unionhub.roles.sync_roles after every migrate, so
that models added later get their permissions too."""

from django.db import migrations

GROUP_NAMES = ["市、省级工作人员", "县级工作人员", "站点管理员", "评估员"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUP_NAMES:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("unionhub", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
