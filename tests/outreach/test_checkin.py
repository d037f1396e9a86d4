"""Sign-up and check-in: a ticket scanned twice counts once, an offline batch replayed counts once, a ticket of
another event or a cancelled sign-up is refused with nothing written; attendance reaches the station's log."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outreach.models import CheckIn
from outreach.services import checkin_batch, checkin_scan, signup_cancel, signup_create
from tests.outreach import factories as f
from tests.stations.factories import StationFactory


@pytest.fixture
def station(dave):
    return StationFactory(managers=[dave])


def test_a_ticket_scanned_twice_counts_once_and_feeds_the_activity_log(station):
    event = f.event(station=station, suggestions=3)
    signup = signup_create(event=event, name="张三", mobile="13912345678", consent=True)
    first = checkin_scan(event=event, code=signup.code, scan_id="a")
    second = checkin_scan(event=event, code=signup.code.lower(), scan_id="b")
    assert (first.result, second.result) == ("ok", "duplicate")
    assert "已" in second.message or second.message
    event.refresh_from_db()
    assert event.activity.participants == 1 and event.activity.suggestions == 3
    assert event.activity.station == station


def test_an_offline_batch_replayed_counts_once(station):
    event = f.event(station=station)
    signups = [signup_create(event=event, name=f"人{n}", mobile=f"1391234567{n}", consent=True) for n in range(3)]
    batch = [{"id": f"scan-{s.code}", "code": s.code, "at": "2026-12-05T09:00:00+08:00"} for s in signups]
    first = checkin_batch(event=event, scans=batch)
    replay = checkin_batch(event=event, scans=batch)
    assert [a["result"] for a in first] == ["ok"] * 3 == [a["result"] for a in replay]
    assert CheckIn.objects.filter(event=event).count() == 3
    assert event.signups.filter(checked_in_at__isnull=False).count() == 3
    event.refresh_from_db()
    assert event.activity.participants == 3


def test_another_events_ticket_and_a_cancelled_signup_are_refused_with_nothing_written(station):
    event, other = f.event(station=station), f.event(station=station, title="义诊")
    foreign = signup_create(event=other, name="李四", mobile="13912345670", consent=True)
    cancelled = signup_create(event=event, name="王五", mobile="13912345671", consent=True)
    signup_cancel(signup=cancelled)
    with pytest.raises(ValidationError, match="另一|other|活动"):
        checkin_scan(event=event, code=foreign.code, scan_id="x1")
    with pytest.raises(ValidationError):
        checkin_scan(event=event, code=cancelled.code, scan_id="x2")
    with pytest.raises(ValidationError):
        checkin_scan(event=event, code="NOSUCH", scan_id="x3")
    assert not CheckIn.objects.exists()


def test_signup_rules(station):
    event = f.event(station=station, capacity=1)
    with pytest.raises(ValidationError) as no_consent:
        signup_create(event=event, name="张三", mobile="13912345678", consent=False)
    assert "consent" in no_consent.value.message_dict
    signup_create(event=event, name="张三", mobile="13912345678", consent=True)
    with pytest.raises(ValidationError):
        signup_create(event=event, name="李四", mobile="13912345679", consent=True)  # full


def test_the_station_manager_checks_in_through_the_scan_endpoint(station, dave, bob, client_for):
    event = f.event(station=station)
    signup = signup_create(event=event, name="张三", mobile="13912345678", consent=True)
    client = client_for(dave)
    page = client.get(reverse("admin:outreach_event_checkin", args=[event.pk]))
    assert page.status_code == 200 and "jsQR.js" in page.content.decode()
    url = reverse("admin:outreach_event_scans", args=[event.pk])
    body = json.dumps({"scans": [{"id": "s1", "code": signup.code}]})
    for _ in range(2):
        answer = client.post(url, body, content_type="application/json").json()
    assert answer["checked_in"] == 1 and answer["answers"][0]["result"] == "ok"
    client.logout()
    assert client_for(bob).post(url, body, content_type="application/json").status_code in (302, 403)


def test_public_signup_and_ticket_pages(station, client):
    event = f.event(station=station)
    response = client.post(
        reverse("outreach:signup", args=[event.code]),
        {"name": "张三", "mobile": "139 1234 5678", "consent": "on"},
    )
    assert response.status_code == 302
    ticket = client.get(response["Location"])
    assert ticket.status_code == 200 and "<svg" in ticket.content.decode()
    again = client.post(reverse("outreach:signup", args=[event.code]), {"name": "张三", "mobile": "13912345678"})
    assert again.status_code == 400
