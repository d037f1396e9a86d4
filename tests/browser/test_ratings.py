"""In the browser: an inspector scores a station, county staff approve, the stars show, a subsidy run is
computed and approved, and the payment list is downloaded."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from stations.models import Evaluation, StarRating, SubsidyRun
from stations.models.ratings import EvaluationStatus
from stations.models.subsidies import RunStatus
from tests.browser.conftest import admin_login
from tests.factories import JIAFENG, QINSHUI
from tests.stations.factories import ActivityFactory, StationFactory, ensure_catalogues
from tests.stations.rating_factories import ensure_schemes, make_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inspector_scores_county_approves_stars_show_then_a_run_is_approved_and_exported(live_server, desk, people):
    ensure_catalogues()
    ensure_schemes()
    today = dt.date.today()
    station = StationFactory(name="嘉峰镇浏览器测试驿站", region_id=JIAFENG, plaque_number="", plaque_date=None)
    for n in range(12):
        ActivityFactory(station=station, date=today - dt.timedelta(days=25 * n + 1))
    make_policy(
        QINSHUI,
        starts_on=dt.date(today.year - 1, 1, 1),
        ends_on=dt.date(today.year - 1, 12, 31),
        rates={("rest", s): (str(10000 * s), str(4000 * s)) for s in range(1, 6)},
    )

    # The inspector opens an evaluation; the scores come pre-filled.
    admin_login(desk, live_server, "erin")
    desk.goto(f"{live_server.url}/admin/stations/evaluation/add/?station={station.pk}")
    desk.fill("#id_inspectors", "赵刚、孙丽")
    desk.click("input[name=_save]")
    desk.wait_for_selector("input[name=_submit_evaluation]")
    evaluation = Evaluation.objects.get(station=station)
    rows = list(evaluation.scores.select_related("indicator").order_by("indicator__sort_order", "indicator_id"))
    for n, row in enumerate(rows):
        desk.fill(f"input[name='scores-{n}-score']", str(row.indicator.max_points))
        if row.suggested is None or row.suggested != row.indicator.max_points:
            desk.fill(f"input[name='scores-{n}-override_reason']", "现场核实")
    desk.screenshot(path="test-results/ratings-1-inspector-scores.png", full_page=True)
    desk.click("input[name=_submit_evaluation]")
    desk.wait_for_selector(".messagelist")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.stars == 5

    # County staff approve.
    desk.context.clear_cookies()
    admin_login(desk, live_server, "alice")
    desk.goto(f"{live_server.url}/admin/stations/evaluation/{evaluation.pk}/change/")
    desk.click("input[name=_approve]")
    desk.wait_for_selector(".messagelist .success")
    desk.screenshot(path="test-results/ratings-2-county-approves.png", full_page=True)
    assert StarRating.objects.get(station=station).stars == 5

    # The stars show on the star-level list and the station list filters by them.
    desk.goto(f"{live_server.url}/admin/stations/starrating/")
    assert "★★★★★" in desk.inner_text("#result_list")
    desk.goto(f"{live_server.url}/admin/stations/station/?stars=5")
    assert station.name in desk.inner_text("#result_list")
    desk.screenshot(path="test-results/ratings-3-stations-with-five-stars.png", full_page=True)

    # A run for a period that has not ended is refused beside its end date.
    desk.goto(f"{live_server.url}/admin/stations/subsidyrun/add/")
    desk.fill("#id_period_start", f"{today.year}-01-01")
    desk.fill("#id_period_end", f"{today.year}-12-31")
    desk.click("input[name=_save]")
    assert "尚未期满" in desk.inner_text(".field-period_end")
    # A run for last year (the stars are dated back to its start): computed (tasks run in-process here),
    # approved after a confirmation of its count and total, exported.
    StarRating.objects.filter(station=station).update(valid_from=dt.date(today.year - 1, 1, 1))
    desk.goto(f"{live_server.url}/admin/stations/subsidyrun/add/")
    desk.fill("#id_period_start", f"{today.year - 1}-01-01")
    desk.fill("#id_period_end", f"{today.year - 1}-12-31")
    desk.click("input[name=_save]")
    desk.wait_for_selector("#subsidy-run-actions")
    run = SubsidyRun.objects.get()
    assert run.status == RunStatus.PROPOSED and run.allocation_count == 2
    desk.click("#run-approve")
    assert "元" in desk.inner_text("#approve-summary")
    desk.screenshot(path="test-results/ratings-4-run-confirm.png", full_page=True)
    desk.click("input[name=_confirm]")
    desk.wait_for_selector("#payment-export")
    desk.screenshot(path="test-results/ratings-4-run-approved.png", full_page=True)
    with desk.expect_download() as download_info:
        desk.click("#payment-export")
    download = download_info.value
    download.save_as("test-results/ratings-payment-list.xlsx")
    with open("test-results/ratings-payment-list.xlsx", "rb") as fh:
        book = load_workbook(io.BytesIO(fh.read()))
    # The bank's layout: one row per payee; a station without bank details is on the second sheet with why.
    payable, left = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets[:2])
    station_rows = [r for r in left if r[0] == station.code]
    assert len(station_rows) == 1 and Decimal(str(station_rows[0][2])) == run.total
    assert Decimal(str(payable[-1][4] or 0)) + Decimal(str(left[-1][2])) == run.total
    desk.goto(f"{live_server.url}/admin/stations/subsidyallocation/?run__id__exact={run.pk}")
    desk.screenshot(path="test-results/ratings-5-allocations.png", full_page=True)
