"""The embedded default (SQLite, no broker: ``JOB_RUNNER=thread``) behaves like production: the upload and
the confirm return at once, the check and the import run as jobs in a background thread of the web
process, and the import's page shows the same progress bar, then the result."""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from membership.models import ImportStatus, Member, RosterImport
from membership.services import roster as roster_services
from tests.factories import QINSHUI
from tests.membership.factories import resident_id, union_in
from unionhub.models import JobStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _thread_runner(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.JOB_RUNNER = "thread"  # as `make run`: no broker, jobs in a thread of this process


class Gate:
    """Holds a job's work until the test opens it, so the test can look at the page while the job runs."""

    def __init__(self, monkeypatch, name: str):
        self.entered, self.opened = threading.Event(), threading.Event()
        self.thread = None
        real = getattr(roster_services, name)

        def held(**kwargs):
            self.thread = threading.current_thread().name
            self.entered.set()
            assert self.opened.wait(30), "the test never opened the gate"
            return real(**kwargs)

        monkeypatch.setattr(roster_services, name, held)


def settled(roster_id: int, timeout: float = 30) -> RosterImport:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        roster = RosterImport.objects.select_related("job").get(pk=roster_id)
        if roster.job and not roster.job.is_active:
            return roster
        time.sleep(0.05)
    raise TimeoutError("the job did not end")


def test_the_upload_and_the_confirm_return_before_the_work_and_the_page_then_shows_the_result(
    alice, client_for, monkeypatch
):
    union_in(QINSHUI, name="嘉峰煤矿工会")
    good = [resident_id() for _ in range(3)]
    content = "姓名,身份证号,所属工会\n" + "".join(f"张伟,{rid},嘉峰煤矿工会\n" for rid in good)
    client = client_for(alice)
    check = Gate(monkeypatch, "roster_preview")
    response = client.post(
        reverse("admin:membership_rosterimport_add"),
        {"file": SimpleUploadedFile("r.csv", content.encode()), "mode": "all"},
    )
    assert response.status_code == 302  # answered while the check has not even started its work
    assert check.entered.wait(10) and check.thread.startswith("job-")
    roster = RosterImport.objects.get()
    assert roster.status == ImportStatus.UPLOADED and roster.job.status == JobStatus.RUNNING
    page = client.get(response["Location"])
    assert b'id="job-progress"' in page.content and b'data-count="created"' not in page.content
    assert client.get(reverse("admin:membership_rosterimport_progress", args=[roster.pk])).json()["running"]
    check.opened.set()
    roster = settled(roster.pk)
    assert roster.status == ImportStatus.PREVIEWED and roster.created == 3
    page = client.get(response["Location"])
    assert b'id="job-progress"' not in page.content and page.context["may_confirm"]
    assert b'<strong data-count="created">3</strong>' in page.content

    write = Gate(monkeypatch, "roster_apply")
    confirm = client.post(reverse("admin:membership_rosterimport_confirm", args=[roster.pk]), {"mode": "all"})
    assert confirm.status_code == 302 and write.entered.wait(10) and write.thread.startswith("job-")
    assert RosterImport.objects.get(pk=roster.pk).status == ImportStatus.IMPORTING and not Member.objects.exists()
    assert b'id="job-progress"' in client.get(response["Location"]).content  # the same progress display
    write.opened.set()
    roster = settled(roster.pk)
    assert roster.status == ImportStatus.DONE and roster.job.kind == roster_services.IMPORT_JOB
    assert sorted(Member.objects.values_list("resident_id", flat=True)) == sorted(good)
    assert b'id="roster-outcome"' in client.get(response["Location"]).content
