from django.db import migrations


def seed(apps, schema_editor):
    from stations.data.catalogue import seed_catalogues

    seed_catalogues(apps.get_model("stations", "Facility"), apps.get_model("stations", "Service"), apps.get_model("stations", "ActivityKind"))


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
