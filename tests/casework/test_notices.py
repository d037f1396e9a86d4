"""Notices: the worker is told when the request is accepted, passed up and resolved; the handler when a
request reaches them and when its limit is due soon. Each is a message of the core (unionhub.services.messages),
recorded after the step commits and linked to the request."""

import logging

import pytest
from django.core import mail
from django.db import transaction

from casework.choices import EventKind
from casework.services import handling
from casework.services.notices import NOTIFIED_KINDS, events_notify
from casework.services.sweep import casework_sweep
from tests.casework.factories import at, file_request, handler_for
from tests.factories import UserFactory
from unionhub.models import Message, MessageChannel, MessageStatus
from unionhub.services.messages import messages_about


@pytest.fixture(autouse=True)
def channels(settings):
    settings.MESSAGE_BACKENDS = ["console", "email"]
    settings.MESSAGE_EMAIL_TO = ""
    settings.PUBLIC_BASE_URL = "https://gh.example.cn"


@pytest.fixture
def chair(unions):
    user = UserFactory(username="chair", first_name="李主席", email="chair@example.cn")
    handler_for(unions["grassroots"], user)
    return user


def texts(request, template=None):
    found = messages_about(request).filter(channel=MessageChannel.CONSOLE).order_by("pk")
    if template:
        found = found.filter(template=template)
    return [m.text for m in found]


def test_it_tells_the_chair_of_a_new_request_and_the_worker_when_it_is_accepted_and_resolved(
    unions, chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = file_request(employer_name=unions["grassroots"].employer, mobile="13912345678")
    [to_chair] = texts(request, "casework.request_assigned")
    [filed] = texts(request, "casework.request_filed")  # the reference, to the worker: never lost for good
    assert request.reference in filed and f"?ref={request.reference}" in filed
    assert request.reference in to_chair and f"/admin/casework/workerrequest/{request.pk}/change/" in to_chair
    assert mail.outbox[0].to == ["chair@example.cn"]
    with django_capture_on_commit_callbacks(execute=True):
        handling.request_accept(request=request, by=chair)
    [accepted] = texts(request, "casework.request_accepted")
    assert unions["grassroots"].name in accepted and request.reference in accepted
    assert f"https://gh.example.cn/cases/status/?ref={request.reference}" in accepted
    message = messages_about(request).get(template="casework.request_accepted")
    assert message.recipient == "13912345678" and message.recipient_display == "139****5678"
    assert message.status == MessageStatus.SENT and message.region_id == request.region_id
    with django_capture_on_commit_callbacks(execute=True):
        handling.request_respond(request=request, by=chair, message="正在联系企业")
    [reply] = texts(request, "casework.request_reply")  # each reply is sent to the worker too
    assert "正在联系企业" in reply and request.reference in reply
    with django_capture_on_commit_callbacks(execute=True):
        handling.request_resolve(request=request, by=chair, resolution="工资已结清。")
    [resolved] = texts(request, "casework.request_resolved")
    assert "工资已结清。" in resolved and "评价" in resolved


def test_it_tells_the_worker_and_the_new_handler_when_the_sweep_escalates(
    unions, chair, django_capture_on_commit_callbacks
):
    town_chair = UserFactory(username="town", email="town@example.cn")
    handler_for(unions["town"], town_chair)
    request = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert casework_sweep(now=at("2026-10-08", 17))["due_soon"] == 1
    [due] = Message.objects.filter(channel=MessageChannel.EMAIL)
    assert (
        due.recipient == "chair@example.cn" and "2026-10-08" in due.text and due.template == "casework.request_due_soon"
    )
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert casework_sweep(now=at("2026-10-09", 9))["escalated"] == 1
    by_template = {m.template: m for m in Message.objects.filter(channel=MessageChannel.CONSOLE)}
    assert by_template["casework.request_assigned"].recipient == "town@example.cn"
    assert request.reference in by_template["casework.request_assigned"].text
    assert unions["town"].name in by_template["casework.request_passed_up"].text


def test_it_records_nothing_when_the_step_is_rolled_back(unions, chair, django_capture_on_commit_callbacks):
    request = file_request(employer_name=unions["grassroots"].employer)
    before = Message.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        handling.request_accept(request=request, by=chair)
        raise RuntimeError
    assert Message.objects.count() == before


def test_a_step_s_messages_are_recorded_once_however_often_the_task_runs(unions, chair):
    request = file_request(employer_name=unions["grassroots"].employer)
    handling.request_accept(request=request, by=chair)
    step = request.events.get(kind=EventKind.ACCEPTED).pk
    assert events_notify(event_ids=[step]) == 1  # the log's message to the worker
    assert events_notify(event_ids=[step, step]) == 0  # the task sent again (a retry, a redelivery)
    assert messages_about(request).filter(template="casework.request_accepted").count() == 1


def test_the_console_backend_masks_the_mobile_number(unions, chair, caplog, django_capture_on_commit_callbacks):
    request = file_request(employer_name=unions["grassroots"].employer, mobile="13912345678")
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        handling.request_accept(request=request, by=chair)
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text


def test_the_email_backend_writes_to_the_handler_and_to_the_sms_gateway_address(
    unions, chair, settings, django_capture_on_commit_callbacks
):
    settings.MESSAGE_BACKENDS = ["email"]
    settings.MESSAGE_EMAIL_TO = "{mobile}@sms.example.cn"
    with django_capture_on_commit_callbacks(execute=True):
        request = file_request(employer_name=unions["grassroots"].employer, mobile="13912345678")
        handling.request_accept(request=request, by=chair)
    assert sorted(m.to for m in mail.outbox) == [
        ["13912345678@sms.example.cn"],  # the reference at filing
        ["13912345678@sms.example.cn"],  # accepted
        ["chair@example.cn"],
    ]
    shown = set(messages_about(request).values_list("recipient_display", flat=True))
    assert shown == {"chair@example.cn", "139****5678@sms.example.cn"}


def test_the_notified_steps_are_the_ones_the_issue_names():
    assert {EventKind.ACCEPTED, EventKind.ESCALATED, EventKind.RESOLVED, EventKind.DUE_SOON} <= set(NOTIFIED_KINDS)


def test_the_request_s_page_links_to_its_messages(unions, chair, alice, client_for, django_capture_on_commit_callbacks):
    from django.urls import reverse

    with django_capture_on_commit_callbacks(execute=True):
        request = file_request(employer_name=unions["grassroots"].employer, mobile="13912345678")
        handling.request_accept(request=request, by=chair)
    page = client_for(alice).get(reverse("admin:casework_workerrequest_change", args=[request.pk])).content.decode()
    count = messages_about(request).count()
    assert f"{count} 条消息" in page and f"object_id={request.pk}" in page
