"""City staff's workbench: the counties of 晋城市 side by side, each figure one grouped query."""

import datetime as dt
import re
from html import unescape

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard.county_table import county_table
from dashboard.selectors.counties import CountyFigures, county_figures, shows_county_figures
from dashboard.services.snapshots import dashboard_refresh
from stations.choices import StationStatus
from tests.casework.factories import RequestFiler, handler_for, hierarchy
from tests.factories import QINSHUI, TOWN_OF, YANGCHENG, UserFactory
from tests.membership.factories import ApplicationFactory, MemberFactory, union_in
from tests.stations.factories import RectificationFactory, StationFactory
from tests.stations.rating_factories import give_stars


def county_data():
    for county, n in ((QINSHUI, 3), (YANGCHENG, 1)):
        union = union_in(county)
        for _ in range(n):
            MemberFactory(union=union)
            station = StationFactory(region_id=TOWN_OF[county], status="operating")
        ApplicationFactory(union=union)
        give_stars(station, 2, timezone.localdate() - dt.timedelta(days=30))
    RectificationFactory(station=StationFactory(region_id=TOWN_OF[QINSHUI], status="rectifying"))
    old = ApplicationFactory(union=union_in(QINSHUI))
    type(old).objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(hours=3))
    unions = hierarchy(YANGCHENG)
    if not unions["county"].handlers.exists():
        handler_for(unions["county"], UserFactory())
    RequestFiler.file(county_code=YANGCHENG)


def test_it_shows_each_county_and_its_figures(carol):
    county_data()
    rows = {row.code: row for row in county_figures(carol)}
    assert {QINSHUI, YANGCHENG} <= set(rows)
    qinshui, yangcheng = rows[QINSHUI], rows[YANGCHENG]
    assert (qinshui.members, yangcheng.members) == (3, 1)
    assert (qinshui.applications_waiting, qinshui.applications_overdue) == (2, 1)
    assert (yangcheng.applications_waiting, yangcheng.applications_overdue) == (1, 0)
    assert qinshui.stations == {"operating": 3, "rectifying": 1}
    assert (qinshui.starred, yangcheng.starred) == (1, 1)
    assert (qinshui.rectifications_open, yangcheng.rectifications_open) == (1, 0)
    assert (qinshui.requests_open, yangcheng.requests_open) == (0, 1)


def test_the_query_count_does_not_grow_with_the_rows(carol):
    county_data()
    county_figures(carol)  # the user's reach is read once and kept on the user
    with CaptureQueriesContext(connection) as few:
        county_figures(carol)
    county_data()
    county_data()
    with CaptureQueriesContext(connection) as many:
        county_figures(carol)
    assert len(many) == len(few) <= 9


def test_only_staff_above_a_county_get_the_table(people):
    assert shows_county_figures(people["carol"]) and shows_county_figures(people["root"])
    assert not any(shows_county_figures(people[name]) for name in ("alice", "bob", "dave", "erin"))


def test_the_city_workbench_shows_the_table_and_county_staff_do_not(carol, alice, client_for):
    """The table is read from the dashboard's stored figures: before the refresh has run, it says so."""
    county_data()
    first = client_for(carol).get(reverse("admin:index")).content.decode()
    assert 'id="county-figures-pending"' in first or 'id="county-table"' in first
    dashboard_refresh()
    html = client_for(carol).get(reverse("admin:index")).content.decode()
    assert 'id="county-table"' in html and f'data-county="{QINSHUI}"' in html and "各县（市、区）对比" in html
    assert 'id="county-figures-computed-at"' in html and "统计于" in html
    assert 'id="county-table"' not in client_for(alice).get(reverse("admin:index")).content.decode()
    assert 'id="county-figures' not in client_for(alice).get(reverse("admin:index")).content.decode()


def _county_rows(page: str) -> dict[str, str]:
    table = page[page.index('id="county-table"') : page.index("</table>", page.index('id="county-table"'))]
    return dict(re.findall(r'<tr data-county="(\d+)">(.*?)</tr>', table, re.S))


def test_each_figure_of_a_county_opens_the_list_of_exactly_the_rows_it_counts(carol, client_for):
    """City staff click a county's figure and meet the list narrowed to that county, holding that many rows."""
    county_data()
    dashboard_refresh()
    client = client_for(carol)
    page = client.get(reverse("admin:index")).content.decode()
    rows = _county_rows(page)
    assert all(re.findall(r"<td>0</td>", cells) and "<a href" not in cells for county, cells in rows.items()
               if county not in (QINSHUI, YANGCHENG))  # fmt: skip  # nothing there: zeros, nothing to open
    followed = set()
    for county in (QINSHUI, YANGCHENG):
        for url, shown in re.findall(r'<a href="([^"]+)">(\d+)</a>', rows[county]):
            url = unescape(url)
            assert url.endswith(f"area={county}") and int(shown) > 0
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.context["cl"].result_count == int(shown), url
            followed.add((county, url.split("?")[0], "waiting=overdue" in url))
    member, queue = (
        reverse("admin:membership_member_changelist"),
        reverse("admin:membership_membershipapplication_changelist"),
    )
    station = reverse("admin:stations_station_changelist")
    for county in (QINSHUI, YANGCHENG):  # every figure county_data() gave both counties was a link, and followed
        assert {(county, member, False), (county, queue, False), (county, station, False)} <= followed
    assert (QINSHUI, queue, True) in followed  # the application past the promise
    tfoot = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert "<a href=" not in tfoot  # the total row: numbers only


def test_a_figure_links_only_to_a_list_the_user_may_open(db):
    """Someone who may read the stations but not the register, the queue or the requests sees those as numbers."""
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_station", content_type__app_label="stations"))
    user = type(user).objects.get(pk=user.pk)
    row = CountyFigures(QINSHUI, "沁水县", members=3, applications_waiting=2, applications_overdue=1)
    row.requests_overdue, row.stations = 1, {"operating": 4}
    [(shown, cells)], total = county_table(user, [row])
    assert shown is row and len(cells) == len(total) == 7 + len(StationStatus.values)
    assert [cell.value for cell in cells[:3]] == [3, 2, 1] and not any(cell.url for cell in cells[:3])
    assert not cells[-1].url and cells[-1].bad and cells[2].bad and not cells[0].bad
    stations = cells[3 : 3 + len(StationStatus.values)]
    assert [cell.value for cell in stations] == [row.stations.get(status, 0) for status in StationStatus.values]
    assert [cell.url for cell in stations if cell.url] == [
        f"/admin/stations/station/?status__exact=operating&area={QINSHUI}"
    ]
    assert not any(cell.url for cell in total) and total[0].value == 3
