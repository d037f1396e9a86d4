from django.db import migrations


def seed(apps, schema_editor):
    from stations.data.rating_schemes import seed_default_schemes

    seed_default_schemes(apps.get_model("stations", "RatingScheme"), apps.get_model("stations", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("stations", "0003_ratings_subsidies")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
