"""The demo reproduces the Dachuan and Jiamusi tables from its records, and a second run writes nothing."""

import datetime as dt
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from employment.demo import seed
from employment.demo.jobs import FAIR_NAME
from employment.models import JobFair, Vacancy
from employment.selectors import employment_figures, fair_figures, posts_by_title, sheet_numbering
from stations.demo import seed as seed_stations
from unionhub.demo import seed_core


def test_the_demo_reproduces_dachuan_and_jiamusi_and_is_idempotent(db):
    core = seed_core()
    seed_stations(core)
    started = time.monotonic()
    seed(core)
    assert time.monotonic() - started < 20
    root = core.users["admin"]
    today = timezone.localdate()
    main = JobFair.objects.get(name=FAIR_NAME).station
    current = Vacancy.objects.filter(station=main).current(today)
    assert sorted(current.values_list("title", "posts")) == [("外卖骑手", 200), ("物业保安", 20), ("针车工", 10)]
    notice = posts_by_title(user=root, start=today - dt.timedelta(days=30), end=today, station=main)
    assert notice == [("外卖骑手", 200), ("物业保安", 20), ("针车工", 10)]
    assert sheet_numbering(user=root, year=today.year, station=main) == {"issues": 10, "editions": 22}
    year = (today - dt.timedelta(days=366), today)
    on_site = fair_figures(user=root, start=year[0], end=year[1], online=False)
    assert on_site["employers"] >= 1200 and on_site["posts"] >= 3000
    online = fair_figures(user=root, start=year[0], end=year[1], online=True)
    assert online["fairs"] == 36 and online["intentions"] >= 920
    figures = employment_figures(user=core.users["qinshui"], start=year[0], end=year[1])
    assert figures.total["referrals"] > figures.total["hires"] > 0
    with CaptureQueriesContext(connection) as queries:
        seed(core)
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert [w for w in writes if "employment_" in w] == []
