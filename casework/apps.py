from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

SWEEP_TASK = "casework.tasks.sweep.casework_sweep_task"
SWEEP_NAME = "casework: escalate overdue requests"


def _after_migrate(sender, using="default", **kwargs):
    from casework.roles import sync_casework_roles

    sync_casework_roles(using=using)
    _ensure_sweep_schedule(using)


def _ensure_sweep_schedule(using: str) -> None:
    """The sweep runs every 15 minutes under Celery beat; the schedule is editable in the admin afterwards."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    if PeriodicTask.objects.using(using).filter(task=SWEEP_TASK).exists():
        return
    every, _created = IntervalSchedule.objects.using(using).get_or_create(every=15, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.using(using).create(name=SWEEP_NAME, task=SWEEP_TASK, interval=every)


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Requests and mediation")

    def ready(self) -> None:
        # After unionhub's role sync (INSTALLED_APPS order), which sets the groups' permissions exactly.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="casework_after_migrate")
