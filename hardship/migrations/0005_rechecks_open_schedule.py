"""The yearly re-check on Celery beat: every 2 January at 03:00 (Beijing time) a re-check is opened for every
household on file, due 31 December (``hardship.rechecks_open``, idempotent). The daily reminders are 0002's."""

from django.db import migrations

TASK_NAME = "hardship: open the year's re-checks"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="3", day_of_month="2", month_of_year="1", day_of_week="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME, defaults={"task": "hardship.rechecks_open", "crontab": schedule, "enabled": True}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hardship", "0004_merge_0002_applications_evidence_0003_payment_results"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
