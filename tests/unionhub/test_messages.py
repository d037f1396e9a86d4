"""The messages core: one record per recipient and channel, masked wherever people read it; delivered once,
retried, rate-limited per number; an SMS gateway spoken to over real HTTP; the scoped message log."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import QINSHUI, YANGCHENG
from unionhub.messaging.backends import Recipient
from unionhub.models import Message, MessageChannel, MessageStatus
from unionhub.services.messages import message_deliver, message_template, messages_sweep, send_message

HELLO = message_template(
    code="tests.hello",
    label="问候",
    subject="问候 %(name)s",
    text="%(name)s，您好！您的编号是 %(reference)s。",
)
MOBILE = "13912345678"


class Gateway:
    """An SMS provider on 127.0.0.1: answers each POST with the next of ``answers`` (status, JSON body; the
    last one repeats) and keeps what it was sent."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.received: list[tuple[dict, dict]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append((json.loads(body), {**dict(self.headers), "_body": body}))
                status, answer = gateway.answers.pop(0) if len(gateway.answers) > 1 else gateway.answers[0]
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


OK = (200, {"code": "OK", "message": "发送成功"})


@pytest.fixture
def gateway(settings):
    made = []

    def start(*answers):
        server = Gateway(answers or [OK])
        made.append(server)
        settings.MESSAGE_BACKENDS = ["sms"]
        settings.MESSAGE_SMS_URL = server.url
        settings.MESSAGE_SMS_SIGN_NAME = "沁水县总工会"
        settings.MESSAGE_SMS_APP_KEY = "key-1"
        settings.MESSAGE_SMS_APP_SECRET = "secret-1"
        settings.MESSAGE_SMS_TEMPLATE_CODES = {"tests.hello": "SMS_0001"}
        return server

    yield start
    for server in made:
        server.close()


def say_hello(*recipients, about=None, region=QINSHUI, **params):
    return send_message(
        template=HELLO,
        params={"name": "张三", "reference": "ABCD2345", **params},
        recipients=list(recipients) or [Recipient(mobile=MOBILE)],
        about=about,
        region_id=region,
    )


def test_it_records_one_message_per_recipient_and_channel_with_mobiles_masked(regions, settings):
    settings.MESSAGE_BACKENDS = ["console", "email", "sms"]
    settings.MESSAGE_EMAIL_TO = ""
    messages = say_hello(Recipient(mobile=MOBILE), Recipient(email="chair@example.cn"), Recipient(mobile=MOBILE))
    shown = sorted((m.channel, m.recipient_display) for m in messages)
    assert shown == [
        ("console", "139****5678"),
        ("console", "chair@example.cn"),
        ("email", "chair@example.cn"),
        ("sms", "139****5678"),
    ]
    message = Message.objects.get(channel=MessageChannel.SMS)
    assert message.text == "张三，您好！您的编号是 ABCD2345。" and message.subject == "问候 张三"
    assert message.status == MessageStatus.QUEUED and message.region_id == QINSHUI and message.attempts == 0


def test_it_delivers_after_commit_and_never_twice(regions, settings, django_capture_on_commit_callbacks):
    settings.MESSAGE_BACKENDS = ["email"]
    with django_capture_on_commit_callbacks(execute=True):
        [message] = say_hello(Recipient(email="chair@example.cn"))
    assert [m.to for m in mail.outbox] == [["chair@example.cn"]] and mail.outbox[0].subject == "问候 张三"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1 and message.sent_at
    message_deliver(message_id=message.pk)  # delivered again: a redelivery, a duplicate task
    assert len(mail.outbox) == 1 and Message.objects.get(pk=message.pk).attempts == 1


def test_the_email_backend_reaches_a_mobile_only_through_the_email_to_sms_address(regions, settings):
    settings.MESSAGE_BACKENDS = ["email"]
    settings.MESSAGE_EMAIL_TO = ""
    assert say_hello(Recipient(mobile=MOBILE)) == []
    settings.MESSAGE_EMAIL_TO = "{mobile}@sms.example.cn"
    [message] = say_hello(Recipient(mobile=MOBILE))
    message_deliver(message_id=message.pk)
    assert (
        mail.outbox[0].to == [f"{MOBILE}@sms.example.cn"] and message.recipient_display == "139****5678@sms.example.cn"
    )


def test_the_sms_gateway_gets_the_signature_template_code_and_parameters_signed(regions, gateway):
    server = gateway(OK)
    [message] = say_hello()
    assert message_deliver(message_id=message.pk).status == MessageStatus.SENT
    [(payload, headers)] = server.received
    assert payload == {
        "phone": MOBILE,
        "sign_name": "沁水县总工会",
        "template_code": "SMS_0001",
        "template_param": {"name": "张三", "reference": "ABCD2345"},
    }
    signed = f"{headers['X-Timestamp']}\n{headers['X-Nonce']}\n".encode() + headers["_body"]
    assert headers["X-App-Key"] == "key-1"
    assert headers["X-Signature"] == hmac.new(b"secret-1", signed, hashlib.sha256).hexdigest()


def test_a_gateway_failure_is_retried_with_back_off_and_the_number_never_logged(regions, gateway, settings, caplog):
    settings.MESSAGE_MAX_ATTEMPTS = 3
    settings.MESSAGE_RETRY_SECONDS = 60
    server = gateway((500, {"code": "ServerError", "message": f"{MOBILE} 暂时无法发送"}), OK)
    [message] = say_hello()
    start = timezone.now()
    with caplog.at_level(logging.INFO):
        first = message_deliver(message_id=message.pk, now=start)
        assert first.status == MessageStatus.RETRYING and first.attempts == 1
        assert "500" in first.last_error and MOBILE not in first.last_error
        assert first.next_attempt_at == start + dt.timedelta(seconds=60)
        # Not due yet: a delivery now does nothing.
        assert message_deliver(message_id=message.pk, now=start + dt.timedelta(seconds=30)).attempts == 1
        second = message_deliver(message_id=message.pk, now=start + dt.timedelta(seconds=61))
    assert second.status == MessageStatus.SENT and second.attempts == 2 and len(server.received) == 2
    assert "139****5678" in caplog.text and MOBILE not in caplog.text


def test_it_fails_after_the_last_attempt_with_the_reason(regions, gateway, settings):
    settings.MESSAGE_MAX_ATTEMPTS = 2
    gateway((200, {"code": "isv.BUSINESS_LIMIT_CONTROL", "message": "触发流控"}))
    [message] = say_hello()
    now = timezone.now()
    message_deliver(message_id=message.pk, now=now)
    failed = message_deliver(message_id=message.pk, now=now + dt.timedelta(hours=1))
    assert failed.status == MessageStatus.FAILED and failed.attempts == 2
    assert "isv.BUSINESS_LIMIT_CONTROL" in failed.last_error and "短信网关拒绝发送" in failed.last_error


def test_a_template_without_a_provider_code_fails_at_once(regions, gateway, settings):
    server = gateway(OK)
    settings.MESSAGE_SMS_TEMPLATE_CODES = {}
    [message] = say_hello()
    failed = message_deliver(message_id=message.pk)
    assert failed.status == MessageStatus.FAILED and failed.attempts == 1 and "tests.hello" in failed.last_error
    assert server.received == []


def test_more_sms_to_one_number_than_the_hourly_limit_wait_their_turn(regions, gateway, settings):
    settings.MESSAGE_SMS_RATE_PER_HOUR = 2
    server = gateway(OK)
    now = timezone.now()
    first, second, third = (say_hello()[0] for _ in range(3))
    other = say_hello(Recipient(mobile="13700000000"))[0]
    message_deliver(message_id=first.pk, now=now)
    message_deliver(message_id=second.pk, now=now + dt.timedelta(minutes=10))
    waiting = message_deliver(message_id=third.pk, now=now + dt.timedelta(minutes=20))
    assert waiting.status == MessageStatus.RETRYING and waiting.attempts == 0
    assert waiting.next_attempt_at == now + dt.timedelta(hours=1) and "1 小时" not in waiting.last_error
    assert "过去一小时内已发送 2 条短信" in waiting.last_error
    assert message_deliver(message_id=other.pk, now=now + dt.timedelta(minutes=20)).status == MessageStatus.SENT
    assert len(server.received) == 3
    sent = message_deliver(message_id=third.pk, now=now + dt.timedelta(hours=1, seconds=1))
    assert sent.status == MessageStatus.SENT and sent.attempts == 1 and len(server.received) == 4


def test_the_sweep_sends_due_retries_and_fails_an_interrupted_send(regions, settings):
    settings.MESSAGE_BACKENDS = ["email"]
    due, interrupted = say_hello(Recipient(email="a@example.cn"), Recipient(email="b@example.cn"))
    now = timezone.now()
    Message.objects.filter(pk=due.pk).update(status=MessageStatus.RETRYING, attempts=1, next_attempt_at=now)
    Message.objects.filter(pk=interrupted.pk).update(
        status=MessageStatus.SENDING, attempts=1, claimed_at=now - dt.timedelta(hours=1)
    )
    assert messages_sweep(now=now) == {"failed": 1, "resent": 1}
    assert [m.to for m in mail.outbox] == [["a@example.cn"]]
    interrupted.refresh_from_db()
    assert interrupted.status == MessageStatus.FAILED and "不再重发" in interrupted.last_error


# --- the message log in the admin ------------------------------------------------------------------------


def test_county_staff_see_their_county_s_messages_masked_and_not_another_county_s(people, client_for, settings):
    settings.MESSAGE_BACKENDS = ["sms"]
    ours = say_hello(region=QINSHUI)[0]
    theirs = say_hello(Recipient(mobile="13700001111"), region=YANGCHENG)[0]
    client = client_for(people["alice"])
    page = client.get(reverse("admin:unionhub_message_changelist")).content.decode()
    assert "139****5678" in page and MOBILE not in page and "137****1111" not in page
    change = client.get(reverse("admin:unionhub_message_change", args=[ours.pk]))
    assert change.status_code == 200 and MOBILE not in change.content.decode() and "问候" in change.content.decode()
    missing = client.get(reverse("admin:unionhub_message_change", args=[theirs.pk]))
    assert missing.status_code == 302 and missing["Location"] == reverse("admin:index")
    bob_page = client_for(people["bob"]).get(reverse("admin:unionhub_message_changelist")).content.decode()
    assert "137****1111" in bob_page and "139****5678" not in bob_page


def test_an_application_s_page_links_to_its_messages(people, client_for, settings, django_capture_on_commit_callbacks):
    from membership import services as membership
    from tests.membership.factories import ApplicationFactory, union_in

    settings.MESSAGE_BACKENDS = ["console"]
    application = ApplicationFactory(union=union_in(QINSHUI), mobile=MOBILE)
    other = ApplicationFactory(union=union_in(QINSHUI), mobile="13700000000")
    with django_capture_on_commit_callbacks(execute=True):
        membership.application_approve(application=application)
        membership.application_reject(application=other, reason="资料不全。")
    client = client_for(people["alice"])
    page = client.get(reverse("admin:membership_membershipapplication_change", args=[application.pk]))
    link = reverse("admin:unionhub_message_changelist") + "?content_type="
    html = page.content.decode()
    assert "1 条消息" in html and link in html
    url = html[html.index(link) :].split('"')[0].replace("&amp;", "&")
    listed = client.get(url).content.decode()
    assert "139****5678" in listed and "137****0000" not in listed and "入会申请已批准" in listed


def test_the_task_sends_itself_again_for_the_next_attempt(regions, gateway, settings):
    from unittest.mock import patch

    from celery.exceptions import Retry

    from unionhub.tasks.messages import message_deliver as task

    settings.MESSAGE_RETRY_SECONDS = 120
    gateway((503, {}))
    [message] = say_hello()
    with patch.object(task, "retry", side_effect=Retry("later")) as retry, pytest.raises(Retry):
        task(message.pk)  # called as a worker calls it (not eager)
    assert 119 <= retry.call_args.kwargs["countdown"] <= 122
    assert Message.objects.get(pk=message.pk).status == MessageStatus.RETRYING


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_thread_delivers_after_commit(settings):
    settings.JOB_RUNNER = "thread"
    settings.MESSAGE_BACKENDS = ["email"]
    [message] = say_hello(Recipient(email="chair@example.cn"), region=None)  # autocommit: sent at once
    for _ in range(100):
        if Message.objects.get(pk=message.pk).status == MessageStatus.SENT:
            break
        threading.Event().wait(0.05)
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_delivery_thread_retries_when_due(settings, gateway):
    settings.JOB_RUNNER = "thread"
    settings.MESSAGE_RETRY_SECONDS = 1
    server = gateway((500, {}), OK)
    [message] = say_hello(region=None)
    for _ in range(100):
        if Message.objects.get(pk=message.pk).status == MessageStatus.SENT:
            break
        threading.Event().wait(0.05)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2 and len(server.received) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_delivery_thread_holds_no_database_connection_while_it_waits_for_more(settings):
    settings.JOB_RUNNER = "thread"
    settings.MESSAGE_BACKENDS = ["email"]
    others = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    sent, opened_since = False, None
    with connection.cursor() as cursor:
        cursor.execute(others)
        before = {pid for (pid,) in cursor.fetchall()}  # sessions of other tests' threads are not the sender's
        [message] = say_hello(Recipient(email="chair@example.cn"), region=None)
        for _ in range(100):  # the thread idles 5 s before it ends; it gives its connection back at once
            sent = sent or Message.objects.get(pk=message.pk).status == MessageStatus.SENT
            cursor.execute(others)
            opened_since = {pid for (pid,) in cursor.fetchall()} - before
            if sent and not opened_since:
                break
            threading.Event().wait(0.03)
    assert sent and opened_since == set()
