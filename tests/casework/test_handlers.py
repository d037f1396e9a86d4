"""Handlers at every level: the union chair's role and desk, acting where a request is held, escalation that
ends in someone's hands (or the leads told), staff intake, confidential filing, lost references, every step
told, the public form's limit."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from casework.choices import EventKind, RequestChannel, RequestStatus
from casework.models import WorkerRequest
from casework.selectors.reach import handler_candidates, person_label
from casework.services import handling
from casework.services.handlers import union_handler_add, union_handler_remove
from casework.services.requests import request_attach, request_references_send, request_reopen
from casework.services.sweep import casework_sweep
from dashboard.selectors.workbench import workbench_items
from tests.casework.factories import at, file_request, mediation_station
from tests.factories import QINSHUI, UserFactory
from unionhub.models import Message
from unionhub.roles import GROUP_NAMES

D = dt.date.fromisoformat
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
INLINES = {f"{p}-{k}": "0" for p in ("events", "referrals", "attachments") for k in ("TOTAL_FORMS", "INITIAL_FORMS")}


@pytest.fixture(autouse=True)
def channels(settings):
    settings.MESSAGE_BACKENDS = ["console", "email"]
    settings.MESSAGE_EMAIL_TO = ""
    settings.PUBLIC_BASE_URL = "https://gh.example.cn"


@pytest.fixture
def chair(unions):
    """李建国, chair of the grassroots union: no region of his own, a handler by the union he serves."""
    user = UserFactory(username="lijianguo", first_name="李建国", email="chair@example.cn", is_staff=False)
    union_handler_add(union=unions["grassroots"], user=user, is_default=True)
    return user


@pytest.fixture
def county_desk(unions, alice):
    alice.email = "county@example.cn"
    alice.save()
    union_handler_add(union=unions["county"], user=alice, is_default=True)
    return alice


@pytest.fixture
def city_desk(unions):
    user = UserFactory(username="jinchengdesk", first_name="周敏", email="city@example.cn")
    union_handler_add(union=unions["city"], user=user, is_default=True)
    return user


def templates_sent(request):
    return sorted(set(Message.objects.filter(object_id=request.pk).values_list("template", flat=True)))


def strip_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def post_action(client, request, action, message="", **extra):
    url = reverse("admin:casework_workerrequest_change", args=[request.pk])
    return client.post(url, {"action": action, "message": message, **extra, **INLINES})


def test_it_gives_the_chair_the_handler_role_by_the_union_he_serves_and_takes_it_with_the_last_union(chair):
    assert chair.is_staff and chair.groups.filter(name=GROUP_NAMES["union_handler"]).exists()
    assert chair.has_perm("casework.change_workerrequest") and chair.has_perm("casework.add_workerrequest")
    union_handler_remove(handler=chair.union_desks.get())
    chair.refresh_from_db()
    assert not chair.groups.filter(name=GROUP_NAMES["union_handler"]).exists()


def test_the_chair_opens_his_queue_and_accepts_replies_and_resolves(
    client_for, chair, unions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
    other = file_request(employer_name="查无此公司")  # the county desk's
    client = client_for(chair)
    page = client.get(reverse("admin:casework_workerrequest_changelist"))
    assert page.status_code == 200
    assert mine.reference in page.content.decode() and other.reference not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_action(client, mine, "accept").status_code == 302
        assert post_action(client, mine, "respond", "已联系企业财务。").status_code == 302
        assert post_action(client, mine, "resolve", "工资已结清。", resolve_outcome="supported").status_code == 302
    mine.refresh_from_db()
    assert mine.status == RequestStatus.RESOLVED and mine.handler == chair
    assert templates_sent(mine) == [
        "casework.request_accepted",
        "casework.request_assigned",
        "casework.request_filed",
        "casework.request_reply",
        "casework.request_resolved",
    ]
    labels = [item.label for item in workbench_items(chair) if item]
    assert labels  # his workbench has his requests' items


def test_a_request_the_city_holds_is_read_only_for_the_county(client_for, alice, unions, city_desk):
    request = file_request(employer_name="查无此公司")
    request.holder = unions["city"]
    request.handler = city_desk
    request.escalation_level = 1
    request.save()
    page = client_for(alice).get(reverse("admin:casework_workerrequest_change", args=[request.pk]))
    assert page.status_code == 200 and 'name="action"' not in page.content.decode()
    post_action(client_for(alice), request, "resolve", "县里办结")
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW
    with pytest.raises(ValidationError, match="晋城市总工会承办"):
        handling.request_resolve(request=request, by=alice, resolution="县里办结")
    handling.request_resolve(request=request, by=city_desk, resolution="市总工会办结")


def test_the_chair_still_reads_his_employers_request_once_the_county_holds_it_but_cannot_act(
    client_for, chair, unions, county_desk
):
    request = file_request(employer_name=unions["grassroots"].employer)
    request.holder, request.handler, request.escalation_level = unions["county"], county_desk, 1
    request.save()
    client = client_for(chair)
    assert request.reference in client.get(reverse("admin:casework_workerrequest_changelist")).content.decode()
    page = client.get(reverse("admin:casework_workerrequest_change", args=[request.pk]))
    assert page.status_code == 200 and 'name="action"' not in page.content.decode()
    post_action(client, request, "resolve", "基层办结")
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW and request.holder == unions["county"]


def test_escalation_ends_with_the_city_desk_and_at_the_top_the_leads_are_alerted_once(
    unions, chair, county_desk, city_desk, settings, django_capture_on_commit_callbacks
):
    settings.CASEWORK_ESCALATION_DAYS = [1]
    request = file_request(employer_name=unions["grassroots"].employer, now=at("2026-09-30"))
    day = D("2026-10-09")
    for _ in range(3):  # grassroots -> town (no desk: the leads told) -> county -> city
        with django_capture_on_commit_callbacks(execute=True):
            casework_sweep(now=at(day.isoformat(), 9))
        request.refresh_from_db()
        day = request.level_due_on + dt.timedelta(days=1)
    assert request.holder == unions["city"] and request.handler == city_desk
    assert request.events.filter(kind=EventKind.STALLED, to_union=unions["town"]).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        result = casework_sweep(now=at((request.level_due_on + dt.timedelta(days=3)).isoformat(), 9))
    assert result["escalated"] == 0 and result["stalled"] == 1
    assert casework_sweep(now=at((request.level_due_on + dt.timedelta(days=4)).isoformat(), 9))["stalled"] == 0
    unattended = Message.objects.filter(object_id=request.pk, template="casework.request_unattended")
    assert {"county@example.cn", "city@example.cn"} <= set(unattended.values_list("recipient", flat=True))
    assert any("city@example.cn" in m.to for m in mail.outbox)
    today = request.level_due_on + dt.timedelta(days=3)
    [stalled] = [i for i in workbench_items(city_desk, today) if i and "due=stalled" in i.url]
    assert stalled.urgent and stalled.count >= 0


def test_assign_offers_names_with_their_union_never_login_names(unions, chair, county_desk):
    deputy = UserFactory(username="deputy-login", first_name="王副主席")
    union_handler_add(union=unions["grassroots"], user=deputy)
    station = mediation_station(region_id="140521104")
    manager = UserFactory(username="mgr-login", first_name="赵站长")
    station.managers.add(manager)
    request = file_request(employer_name=unions["grassroots"].employer, station=station)
    people = list(handler_candidates(request, county_desk))
    assert {chair, deputy, manager} <= set(people)
    labels = [person_label(person) for person in people]
    assert f"王副主席 · {unions['grassroots'].name}" in labels
    assert not any("login" in label for label in labels)
    handling.request_assign(request=request, handler=manager, by=chair)


def test_staff_register_a_phone_request_on_the_same_clock_and_the_worker_gets_the_reference(
    client_for, alice, unions, django_capture_on_commit_callbacks
):
    data = {
        "channel": RequestChannel.PHONE,
        "category": "wages",
        "county": QINSHUI,
        "employer_name": unions["grassroots"].employer,
        "description": "12351 来电：拖欠工资。",
        "wanted": "结清。",
        "name": "王师傅",
        "mobile": "139 0000 2222",
        "consent": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(reverse("admin:casework_workerrequest_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    request = WorkerRequest.objects.get()
    online = file_request(employer_name=unions["grassroots"].employer)
    assert (request.channel, request.filed_by, request.holder) == (RequestChannel.PHONE, alice, unions["grassroots"])
    assert request.level_due_on == online.level_due_on and request.resolve_due_on == online.resolve_due_on
    assert "casework.request_filed" in templates_sent(request)
    filed = request.events.get(kind=EventKind.FILED)
    assert filed.actor == alice and filed.note


def test_intake_refuses_without_consent_and_writes_nothing(client_for, alice, unions):
    response = client_for(alice).post(
        reverse("admin:casework_workerrequest_add"),
        {"channel": "letter", "category": "wages", "county": QINSHUI, "employer_name": "x", "description": "d"},
    )
    assert response.status_code == 200 and "consent" in response.context["adminform"].form.errors
    assert not WorkerRequest.objects.exists()


def test_a_confidential_request_skips_the_employers_union(client, unions, chair):
    data = {
        "category": "wages",
        "employer_name": unions["grassroots"].employer,
        "description": "d",
        "wanted": "w",
        "mobile": "13900003333",
        "county": QINSHUI,
        "consent": "on",
        "confidential": "on",
    }
    assert client.post(reverse("casework:file"), data).status_code == 302
    request = WorkerRequest.objects.get()
    assert request.confidential and request.holder == unions["county"] and request.employer_union is None
    assert not WorkerRequest.objects.filter(pk__in=handler_candidates(request, chair).values("pk")).exists()
    from casework.selectors.reach import request_reached

    assert not request_reached(request, chair)


def test_a_worker_recovers_references_by_message_and_the_page_tells_nobody_anything(client, unions):
    request = file_request(mobile="13900004444")
    known = client.post(reverse("casework:find"), {"mobile": "139 0000 4444"})
    unknown = client.post(reverse("casework:find"), {"mobile": "13900005555"})
    assert known.status_code == unknown.status_code == 200
    assert strip_token(known.content.decode()) == strip_token(unknown.content.decode())
    [message] = Message.objects.filter(template="casework.references_reminder", channel="console")
    assert request.reference in message.text and message.recipient == "13900004444"
    assert request_references_send(mobile="13900005555") == 0


def test_a_reopen_and_new_files_are_sent_to_the_handler(unions, chair, django_capture_on_commit_callbacks):
    request = file_request(employer_name=unions["grassroots"].employer)
    with django_capture_on_commit_callbacks(execute=True):
        request_attach(request=request, attachments=[SimpleUploadedFile("a.png", PNG, "image/png")])
        handling.request_resolve(request=request, by=chair, resolution="好了")
        request_reopen(request=request, reason="没解决")
    sent = templates_sent(request)
    assert "casework.request_files_added" in sent and "casework.request_reopened" in sent
    to_chair = Message.objects.filter(object_id=request.pk, recipient="chair@example.cn")
    assert {"casework.request_files_added", "casework.request_reopened"} <= set(
        to_chair.values_list("template", flat=True)
    )


def test_the_form_limit_counts_accepted_filings_and_a_station_desk_is_not_locked_out(
    client, client_for, alice, unions, settings
):
    settings.CASEWORK_FILE_RATE_PER_IP = "2/h"
    url = reverse("casework:file")
    good = {"category": "wages", "employer_name": "x", "description": "d", "wanted": "w", "county": QINSHUI}
    for _ in range(5):  # forms sent back with a mistake cost nothing
        assert client.post(url, {**good, "mobile": "123"}).status_code == 400
    for n in range(2):
        assert client.post(url, {**good, "mobile": f"1390000600{n}", "consent": "on"}).status_code == 302
    assert client.post(url, {**good, "mobile": "13900006009", "consent": "on"}).status_code == 429
    desk = client_for(alice)
    for n in range(3):
        assert desk.post(url, {**good, "mobile": f"1390000700{n}", "consent": "on"}).status_code == 302
    assert WorkerRequest.objects.filter(filed_by=alice).count() == 3


def test_the_finder_and_each_station_page_link_to_cases(client, unions):
    station = mediation_station(region_id="140521104")
    finder = client.get(reverse("stations:list")).content.decode()
    assert reverse("casework:file") in finder
    page = client.get(reverse("stations:detail", args=[station.code])).content.decode()
    assert f"{reverse('casework:file')}?station={station.code}" in page


def test_seed_demo_prints_the_chair_and_the_city_desk(db, monkeypatch):
    import io

    from casework import demo
    from unionhub.management.commands import seed_demo

    monkeypatch.setattr(demo, "seed_requests", lambda core, handlers: None)
    monkeypatch.setattr(demo, "seed_cases", lambda core: None)
    monkeypatch.setattr(seed_demo, "DEMO_MODULES", ["casework.demo"])
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert "lijianguo" in printed and "jinchengdesk" in printed
    from django.contrib.auth import get_user_model

    chair = get_user_model().objects.get(username="lijianguo")
    assert chair.has_perm("casework.change_workerrequest")
    assert chair.union_desks.get().is_default
