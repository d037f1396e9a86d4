"""Applications from a phone (source, reference, the worker's account, consent), evidence documents, the
re-check reminders' marks, and the Celery beat schedule of the re-check reminders (daily at 08:00
Asia/Shanghai; editable in the admin, Periodic tasks). Existing households get a reference each."""

import django.db.models.deletion
import django.utils.timezone
import hardship.models.evidence
import hardship.models.households
from django.conf import settings
from django.db import migrations, models

TASK_NAME = "hardship: re-check reminders"


def references_fill(apps, schema_editor):
    Household = apps.get_model("hardship", "Household")
    taken = set()
    rows = []
    for household in Household.objects.filter(reference="").only("pk"):
        reference = hardship.models.households.new_reference()
        while reference in taken:
            reference = hardship.models.households.new_reference()
        taken.add(reference)
        household.reference = reference
        rows.append(household)
    Household.objects.bulk_update(rows, ["reference"], batch_size=2000)


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_month="*", month_of_year="*", day_of_week="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME, defaults={"task": "hardship.rechecks_remind", "crontab": schedule, "enabled": True}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hardship", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Evidence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("income", "income certificate"),
                            ("medical", "medical bills or diagnosis"),
                            ("disability", "disability card"),
                            ("school", "school enrolment or fees"),
                            ("accident", "accident or disaster record"),
                            ("other", "other document"),
                        ],
                        default="other",
                        max_length=10,
                        verbose_name="kind of document",
                    ),
                ),
                ("file", models.FileField(upload_to=hardship.models.evidence.evidence_path, verbose_name="file")),
                ("content_type", models.CharField(editable=False, max_length=40, verbose_name="type")),
                ("size", models.PositiveIntegerField(editable=False, verbose_name="size (bytes)")),
                (
                    "added_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="added at"),
                ),
            ],
            options={
                "verbose_name": "evidence document",
                "verbose_name_plural": "evidence documents",
            },
        ),
        migrations.AddField(
            model_name="historicalhousehold",
            name="account",
            field=models.TextField(blank=True, max_length=1000, verbose_name="the difficulty in the worker's words"),
        ),
        migrations.AddField(
            model_name="historicalhousehold",
            name="consent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="consent given at"),
        ),
        migrations.AddField(
            model_name="historicalhousehold",
            name="reference",
            field=models.CharField(default="", editable=False, max_length=12, verbose_name="reference number"),
        ),
        migrations.AddField(
            model_name="historicalhousehold",
            name="source",
            field=models.CharField(
                choices=[("staff", "filed by the union"), ("worker", "applied from a phone")],
                default="staff",
                max_length=6,
                verbose_name="source",
            ),
        ),
        migrations.AddField(
            model_name="household",
            name="account",
            field=models.TextField(blank=True, max_length=1000, verbose_name="the difficulty in the worker's words"),
        ),
        migrations.AddField(
            model_name="household",
            name="consent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="consent given at"),
        ),
        migrations.AddField(
            model_name="household",
            name="reference",
            field=models.CharField(default="", editable=False, max_length=12, verbose_name="reference number"),
        ),
        migrations.AddField(
            model_name="household",
            name="source",
            field=models.CharField(
                choices=[("staff", "filed by the union"), ("worker", "applied from a phone")],
                default="staff",
                max_length=6,
                verbose_name="source",
            ),
        ),
        migrations.AddField(
            model_name="recheck",
            name="overdue_reminded_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="overdue reminder sent on"),
        ),
        migrations.AddField(
            model_name="recheck",
            name="reminded_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="reminder sent on"),
        ),
        migrations.RunPython(references_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="household",
            name="reference",
            field=models.CharField(
                default=hardship.models.households.new_reference,
                editable=False,
                max_length=12,
                verbose_name="reference number",
            ),
        ),
        migrations.AlterField(
            model_name="historicalhousehold",
            name="reference",
            field=models.CharField(
                default=hardship.models.households.new_reference,
                editable=False,
                max_length=12,
                verbose_name="reference number",
            ),
        ),
        migrations.AddConstraint(
            model_name="household",
            constraint=models.UniqueConstraint(fields=("reference",), name="hardship_household_reference_unique"),
        ),
        migrations.AddField(
            model_name="evidence",
            name="added_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="added by",
            ),
        ),
        migrations.AddField(
            model_name="evidence",
            name="household",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="evidence",
                to="hardship.household",
                verbose_name="household in difficulty",
            ),
        ),
        migrations.RunPython(create, remove),
    ]
