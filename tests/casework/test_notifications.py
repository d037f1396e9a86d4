"""Notices: the worker is told when the request is accepted, passed up and resolved; the handler when a
request reaches them and when its limit is due soon. Sent after commit, one task per backend, retried."""

import logging

import pytest
from django.core import mail
from django.db import transaction

from casework.choices import EventKind
from casework.services import handling
from casework.services.notifications import WORKER, Notice, SmsBackend
from casework.services.sweep import casework_sweep
from tests.casework.factories import at, file_request, handler_for
from tests.factories import UserFactory

SENT: list[tuple[str, Notice]] = []
FAIL_TIMES = {"left": 0}


class Recorder(SmsBackend):
    """An SMS gateway stand-in that records, and fails ``FAIL_TIMES["left"]`` times first."""

    def send(self, notice):
        if FAIL_TIMES["left"] > 0:
            FAIL_TIMES["left"] -= 1
            raise ConnectionError("gateway down")
        SENT.append((notice.audience, notice))


RECORDER = "tests.casework.test_notifications.Recorder"


@pytest.fixture(autouse=True)
def recorder(settings):
    SENT.clear()
    FAIL_TIMES["left"] = 0
    settings.CASEWORK_NOTIFICATION_BACKENDS = [RECORDER]
    settings.PUBLIC_BASE_URL = "https://gh.example.cn"
    return SENT


@pytest.fixture
def chair(unions):
    user = UserFactory(username="chair", first_name="李主席", email="chair@example.cn")
    handler_for(unions["grassroots"], user)
    return user


def sent(audience=None):
    return [notice.text for who, notice in SENT if audience is None or who == audience]


def test_it_tells_the_chair_of_a_new_request_and_the_worker_when_it_is_accepted_and_resolved(
    unions, chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = file_request(employer_name=unions["grassroots"].employer, mobile="13912345678")
    assert sent() == [sent("handler")[0]] and request.reference in sent("handler")[0]
    assert f"/admin/casework/workerrequest/{request.pk}/change/" in sent("handler")[0]
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        handling.request_accept(request=request, by=chair)
    [text] = sent(WORKER)
    assert unions["grassroots"].name in text and request.reference in text
    assert f"https://gh.example.cn/cases/status/?ref={request.reference}" in text
    assert SENT[0][1].mobile == "13912345678"
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        handling.request_respond(request=request, by=chair, message="正在联系企业")  # on the page only
    assert sent() == []
    with django_capture_on_commit_callbacks(execute=True):
        handling.request_resolve(request=request, by=chair, resolution="工资已结清。")
    [text] = sent(WORKER)
    assert "工资已结清。" in text


def test_it_tells_the_worker_and_the_new_handler_when_the_sweep_escalates(
    unions, chair, django_capture_on_commit_callbacks
):
    town_chair = UserFactory(username="town", email="town@example.cn")
    handler_for(unions["town"], town_chair)
    request = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
    with django_capture_on_commit_callbacks(execute=True):
        assert casework_sweep(now=at("2026-10-08", 17))["due_soon"] == 1
    [(audience, notice)] = SENT
    assert audience == "handler" and notice.email == "chair@example.cn" and "2026-10-08" in notice.text
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert casework_sweep(now=at("2026-10-09", 9))["escalated"] == 1
    by_audience = dict(SENT)
    assert by_audience["handler"].email == "town@example.cn" and request.reference in by_audience["handler"].text
    assert unions["town"].name in by_audience["worker"].text


def test_it_sends_nothing_when_the_step_is_rolled_back(unions, chair, django_capture_on_commit_callbacks):
    request = file_request(employer_name=unions["grassroots"].employer)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        handling.request_accept(request=request, by=chair)
        raise RuntimeError
    assert sent() == []


def test_it_retries_only_the_steps_that_failed(unions, chair):
    from unittest.mock import patch

    from celery.exceptions import Retry

    from casework.tasks.notify import notify

    first = file_request(employer_name=unions["grassroots"].employer)
    second = file_request(employer_name=unions["grassroots"].employer)
    handling.request_accept(request=first, by=chair)
    handling.request_accept(request=second, by=chair)
    steps = [r.events.get(kind=EventKind.ACCEPTED).pk for r in (first, second)]
    SENT.clear()
    FAIL_TIMES["left"] = 1  # the first step's notice fails, the second's goes out
    with patch.object(notify, "retry", side_effect=Retry("later")) as retry, pytest.raises(Retry):
        notify(steps, RECORDER)
    assert retry.call_args.kwargs["args"] == ([steps[0]], RECORDER)
    assert [n.reference for _who, n in SENT] == [second.reference]


def test_a_failing_backend_in_process_is_logged_and_does_not_break_the_page(
    unions, chair, caplog, django_capture_on_commit_callbacks
):
    request = file_request(employer_name=unions["grassroots"].employer, mobile="13912345678")
    FAIL_TIMES["left"] = 1
    with django_capture_on_commit_callbacks(execute=True):
        handling.request_accept(request=request, by=chair)
    assert "gateway down" in caplog.text and request.reference in caplog.text
    assert "13912345678" not in caplog.text


def test_the_console_backend_masks_the_mobile_number(
    unions, chair, settings, caplog, django_capture_on_commit_callbacks
):
    settings.CASEWORK_NOTIFICATION_BACKENDS = ["casework.services.notifications.ConsoleBackend"]
    request = file_request(employer_name=unions["grassroots"].employer, mobile="13912345678")
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        handling.request_accept(request=request, by=chair)
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text


def test_the_email_backend_writes_to_the_handler_and_to_the_sms_gateway_address(
    unions, chair, settings, django_capture_on_commit_callbacks
):
    settings.CASEWORK_NOTIFICATION_BACKENDS = ["casework.services.notifications.EmailBackend"]
    settings.CASEWORK_NOTIFICATION_EMAIL_TO = "{mobile}@sms.example.cn"
    with django_capture_on_commit_callbacks(execute=True):
        request = file_request(employer_name=unions["grassroots"].employer, mobile="13912345678")
        handling.request_accept(request=request, by=chair)
    assert [m.to for m in mail.outbox] == [["chair@example.cn"], ["13912345678@sms.example.cn"]]


def test_the_notified_steps_are_the_ones_the_issue_names():
    from casework.services.notifications import NOTIFIED_KINDS

    assert {EventKind.ACCEPTED, EventKind.ESCALATED, EventKind.RESOLVED, EventKind.DUE_SOON} <= set(NOTIFIED_KINDS)
