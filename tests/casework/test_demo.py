"""The demo reproduces Xiamen's mediation table for 2025 and a second run writes nothing."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.demo import seed
from casework.models import MediationCase, WorkerRequest
from casework.selectors.figures import casework_figures


def test_it_reproduces_the_xiamen_table_and_is_idempotent(db):
    from stations.demo import seed as seed_stations
    from unionhub.demo import seed_core

    core = seed_core()
    seed_stations(core)
    seed(core)
    _rows, total = casework_figures(
        requests=WorkerRequest.objects.all(),
        cases=MediationCase.objects.all(),
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        station_names={},
    )
    assert (total.cases_received, total.cases_closed, total.cases_settled) == (4976, 4672, 1595)
    assert total.agreed == Decimal("43410000.00") and total.escalations > 0 and total.average_rating
    assert MediationCase.objects.get(number="TJ2025-00001").parties.count() == 44  # 43 workers and the employer
    with CaptureQueriesContext(connection) as queries:
        seed(core)
    writes = [
        q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE") and "casework_" in q["sql"]
    ]
    assert writes == []


def test_the_demo_has_open_requests_in_every_state_overdue_ones_and_one_at_the_top(db):
    from casework.choices import RequestStatus
    from casework.demo.requests import seed_open_requests, seed_settings
    from casework.filtersets import requests_due
    from casework.services.sweep import casework_sweep
    from unionhub.demo import seed_core

    core = seed_core()
    today = dt.date(2026, 11, 18)  # a Wednesday
    seed_open_requests(core, seed_settings(core), today=today)
    requests = WorkerRequest.objects.filter(reference__startswith="Q")
    assert {r.status for r in requests} == {RequestStatus.NEW, RequestStatus.ACCEPTED, RequestStatus.RESOLVED}
    assert requests_due(requests, "overdue", today).count() == 4
    assert requests_due(requests, "soon", today).count() >= 1
    top = requests.get(holder__parent__isnull=True)
    assert top.escalation_level == 1 and top.level_due_on < today
    seed_open_requests(core, seed_settings(core), today=today)  # a second run writes nothing
    assert requests.count() == 9
    # The sweep has something to do: the overdue ones below the top move up one union.
    now = dt.datetime.combine(today, dt.time(10), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert casework_sweep(now=now)["escalated"] == 3
