"""A large roster is checked and imported by a real Celery worker over Redis."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from membership.models import ImportStatus, Member
from membership.services import roster as services
from tests.factories import QINSHUI
from tests.membership.factories import resident_id, union_in


def wait_for(roster, *statuses):
    for _ in range(300):
        roster.refresh_from_db()
        if roster.status in statuses:
            return roster
        threading.Event().wait(0.1)
    return roster


@pytest.mark.celery_worker
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_checks_and_imports_a_roster(alice, settings, tmp_path):
    from celery.contrib.testing.worker import start_worker

    from unionhub.celery import app

    settings.MEDIA_ROOT = tmp_path
    union_in(QINSHUI, name="嘉峰煤矿工会")
    ids = [resident_id() for _ in range(50)]
    content = "姓名,身份证号,所属工会\n" + "".join(f"张伟,{rid},嘉峰煤矿工会\n" for rid in ids)
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        with transaction.atomic():
            roster = services.roster_import_create(file=SimpleUploadedFile("big.csv", content.encode()), by=alice)
            services.roster_preview_queue(roster=roster)
        roster = wait_for(roster, ImportStatus.PREVIEWED, ImportStatus.FAILED)
        assert roster.status == ImportStatus.PREVIEWED, roster.error
        assert roster.created == 50 and not Member.objects.exists()
        services.roster_apply_queue(roster=roster, by=alice, mode=roster.mode)
        roster = wait_for(roster, ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED)
    assert roster.status == ImportStatus.DONE
    assert Member.objects.count() == 50
    assert set(Member.history.values_list("history_user", flat=True)) == {alice.pk}
