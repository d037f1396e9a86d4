"""Two users at once on the same admin pages, in real threads: the read-only city user never sees a full
number, whatever the county staff beside them load at the same moment (a ModelAdmin is shared by every thread
of a worker, so nothing about the request may be kept on it). Pages of every model with personal numbers:
members, applications, workers' requests, mediation cases with their parties, roster imports, history."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from casework.models import MediationCase, Party, WorkerRequest
from membership.models import Member, MembershipApplication, RosterImport
from tests.factories import QINSHUI
from tests.scope_cases import CASES, load_app_cases

load_app_cases()

ROUNDS = 4
SECRETS = {"resident_id": "140521199005170158", "mobile": "13912345678"}
HIDDEN = list(SECRETS.values())


def _admin_url(obj, view="change"):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def _with_secrets(obj):
    for name, value in SECRETS.items():
        if hasattr(obj, name):
            setattr(obj, name, value)
    obj.save()
    return obj


def _pages(people) -> list[str]:
    member = _with_secrets(CASES[Member].make(QINSHUI, people))
    application = _with_secrets(CASES[MembershipApplication].make(QINSHUI, people))
    request = _with_secrets(CASES[WorkerRequest].make(QINSHUI, people))
    case = CASES[MediationCase].make(QINSHUI, people)
    Party.objects.create(case=case, role="worker", name="王芳", mobile=SECRETS["mobile"])
    roster = CASES[RosterImport].make(QINSHUI, people)
    pages = []
    for obj in (member, application, request, case, roster):
        pages += [_admin_url(obj), reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")]
    pages += [_admin_url(member, "history"), _admin_url(request, "history")]
    return pages


def run_at_once(browse, names) -> list[BaseException]:
    """``browse(name)`` in one thread per name, all started together; the exceptions they raised."""
    errors: list[BaseException] = []

    def run(name):
        try:
            browse(name)
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return errors


@pytest.mark.django_db(transaction=True)
def test_the_reader_never_sees_a_full_number_while_staff_load_the_same_pages(people):
    pages = _pages(people)
    staff, reader = people["alice"], people["carol"]
    assert staff.has_perm("membership.reveal_personal_data") and not reader.has_perm("membership.reveal_personal_data")
    start = threading.Barrier(4)
    seen: list[tuple[str, str, int, list[str]]] = []

    def browse(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        start.wait(timeout=30)
        for _ in range(ROUNDS):
            for url in pages:
                response = client.get(url)
                text = response.content.decode()
                seen.append((user.username, url, response.status_code, [s for s in HIDDEN if s in text]))

    errors = run_at_once(browse, (staff, reader, staff, reader))
    assert not errors, errors
    assert len(seen) == 4 * ROUNDS * len(pages)
    assert all(status == 200 for _, _, status, _ in seen), [s for s in seen if s[2] != 200][:5]
    leaks = [(who, url, found) for who, url, _, found in seen if found]
    # Nobody sees a full number on a page: the staff member too sees it only through the logged reveal.
    assert not leaks, leaks[:10]
