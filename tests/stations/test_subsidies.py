"""Subsidies: every rule with hand-computed amounts, the budget cap, idempotency, the set-based run against the
per-station loop, bad input, approval and the payment list; concurrency on PostgreSQL; a real Celery worker."""

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from bench._subsidy_naive import subsidy_run_compute_naive
from membership.models import PersonalDataReveal
from stations.choices import StationStatus
from stations.models import Activity, Rectification, SubsidyAllocation, SubsidyPolicy, SubsidyRate, SubsidyRun
from stations.models.subsidies import AllocationStatus, RunStatus
from stations.services.subsidies import (
    subsidy_payment_export,
    subsidy_policy_save,
    subsidy_run_approve,
    subsidy_run_compute,
    subsidy_run_create,
    subsidy_runs_due,
)
from stations.services.subsidy_rules import rectifying_days
from tests import spreadsheet_checks as checks
from tests.factories import QINSHUI, RUNCHENG, YANGCHENG
from tests.stations.factories import ActivityFactory, StationFactory, ensure_catalogues
from tests.stations.rating_factories import give_stars, make_policy, make_run
from unionhub.money import MONEY_FORMAT

pytestmark = pytest.mark.usefixtures("regions")
Y = 2025
JAN1, DEC31 = dt.date(Y, 1, 1), dt.date(Y, 12, 31)


@pytest.fixture(autouse=True)
def catalogues(db):
    ensure_catalogues()


def policy(**fields):
    defaults = {"min_activities": 6, "min_visitors": 2000, "shortfall_percent": 50}
    return make_policy(QINSHUI, **{**defaults, **fields})


def activities(station, n, start=dt.date(Y, 2, 1)):
    Activity.objects.bulk_create(
        Activity(
            station=station,
            kind_id=ActivityFactory.build().kind.pk,
            date=start + dt.timedelta(days=7 * i),
            title=f"活动{i}",
        )
        for i in range(n)
    )


def station(stars=3, since=dt.date(Y - 1, 6, 1), n_activities=11, **fields):
    s = StationFactory(**fields)
    if stars:
        give_stars(s, stars, since, dt.date(Y + 1, 12, 31))
    activities(s, n_activities)
    return s


def allocations(run, subsidy_type="operating"):
    return {a.station_id: a for a in SubsidyAllocation.objects.filter(run=run, subsidy_type=subsidy_type)}


def computed(p, **kwargs):
    run = make_run(p)
    subsidy_run_compute(run=run, **kwargs)
    return run


# --- the rules, hand-computed ---------------------------------------------------------------------------------


def test_a_three_star_station_with_enough_activities_gets_the_full_rate_and_its_construction_subsidy():
    s = station()
    run = computed(policy())
    operating = allocations(run)[s.pk]
    assert operating.amount == Decimal("12000.00") and operating.stars == 3
    assert "12,000" in operating.breakdown and "11" in operating.breakdown
    construction = allocations(run, "construction")[s.pk]
    assert construction.amount == Decimal("20000.00")


def test_a_station_first_rated_mid_year_is_paid_pro_rata():
    s = station(since=dt.date(Y, 7, 1), n_activities=6)
    run = computed(policy())
    # 1 July to 31 December = 184 of 365 days: 12,000 × 184 / 365 = 6,049.315… → 6,049.32
    assert allocations(run)[s.pk].amount == Decimal("6049.32")
    assert "184/365" in allocations(run)[s.pk].breakdown


def test_below_both_minimums_pays_the_shortfall_share_but_enough_visitors_alone_pay_in_full():
    few = station(n_activities=3)
    busy = station(n_activities=0)
    from stations.models import VisitorCount

    VisitorCount.objects.bulk_create(
        VisitorCount(station=busy, date=JAN1 + dt.timedelta(days=d), visitors=25) for d in range(100)
    )
    run = computed(policy())
    assert allocations(run)[few.pk].amount == Decimal("6000.00")  # 12,000 × 50%
    assert "50%" in allocations(run)[few.pk].breakdown
    assert allocations(run)[busy.pk].amount == Decimal("12000.00")  # 2,500 visitors ≥ 2,000
    assert "2500" in allocations(run)[busy.pk].breakdown


def test_days_under_a_rectification_notice_are_deducted():
    s = station()
    Rectification.objects.create(
        station=s,
        issued_on=dt.date(Y, 3, 1),
        deadline=dt.date(Y, 4, 1),
        findings="急救药箱缺失",
        closed_on=dt.date(Y, 5, 1),
        outcome="已补齐",
    )
    run = computed(policy())
    # 1 March to 30 April = 61 days: 12,000 × 61/365 = 2,005.479… → 2,005.48; 12,000 − 2,005.48 = 9,994.52
    assert allocations(run)[s.pk].amount == Decimal("9994.52")
    assert "61/365" in allocations(run)[s.pk].breakdown


def test_rectification_is_not_deducted_when_the_policy_does_not_suspend():
    s = station()
    Rectification.objects.create(station=s, issued_on=dt.date(Y, 3, 1), deadline=dt.date(Y, 4, 1), findings="x")
    run = computed(policy(suspend_while_rectifying=False))
    assert allocations(run)[s.pk].amount == Decimal("12000.00")


def test_overlapping_notices_count_each_day_once():
    notices = [(dt.date(Y, 3, 1), dt.date(Y, 3, 11)), (dt.date(Y, 3, 6), None)]
    assert rectifying_days(notices, JAN1, dt.date(Y, 3, 20)) == 20  # 1 to 20 March


def test_a_station_delisted_mid_period_is_paid_to_the_day_before_and_gets_no_construction_subsidy():
    s = station(status=StationStatus.DELISTED, status_since=dt.date(Y, 10, 1))
    gone = station(status=StationStatus.DELISTED, status_since=dt.date(Y - 1, 12, 1))
    run = computed(policy())
    # 1 January to 30 September = 273 days: 12,000 × 273/365 = 8,975.342… → 8,975.34
    assert allocations(run)[s.pk].amount == Decimal("8975.34")
    assert s.pk not in allocations(run, "construction")
    assert gone.pk not in allocations(run) and gone.pk not in allocations(run, "construction")


def test_an_expired_or_revoked_star_level_pays_no_operating_subsidy():
    s = StationFactory()
    give_stars(s, 2, dt.date(Y - 1, 3, 1), dt.date(Y, 6, 30))
    activities(s, 8)
    never = station(stars=0)
    run = computed(policy())
    assert allocations(run)[s.pk].amount == 0 and allocations(run)[s.pk].stars == 0
    assert never.pk not in allocations(run)


def test_the_construction_subsidy_is_given_once_per_station():
    s = station()
    p = policy(period_months=6)
    first_half, second_half = p.periods()
    run1 = make_run(p, *first_half)
    subsidy_run_compute(run=run1)
    run2 = make_run(p, *second_half)
    subsidy_run_compute(run=run2)
    assert s.pk in allocations(run1, "construction") and s.pk not in allocations(run2, "construction")
    # the rate is per period; all 11 activities fell in the first half: 12,000 × 50%
    assert allocations(run2)[s.pk].amount == Decimal("6000.00")
    subsidy_run_compute(run=run1)  # recomputing the first half keeps it there, once
    assert SubsidyAllocation.objects.filter(station=s, subsidy_type="construction").count() == 1


def test_the_county_budget_cap_scales_every_amount_to_the_cap_to_the_fen():
    rates = {("rest", 1): ("0", "6000"), ("rest", 2): ("0", "9000"), ("rest", 3): ("0", "12000")}
    p = policy(rates=rates, budget_cap=Decimal("10000"))
    a, b, c = station(stars=3), station(stars=2), station(stars=1)
    run = computed(p)
    got = allocations(run)
    # total 27,000 → × 10,000/27,000: 4,444.444…, 3,333.333…, 2,222.222… floored; the fen left over goes to the
    # largest remainder (the first).
    assert (got[a.pk].amount, got[b.pk].amount, got[c.pk].amount) == (
        Decimal("4444.45"),
        Decimal("3333.33"),
        Decimal("2222.22"),
    )
    assert sum(x.amount for x in got.values()) == Decimal("10000.00")
    run.refresh_from_db()
    assert run.total == Decimal("10000.00") and "0.3704" in got[a.pk].breakdown


def test_the_cap_leaves_a_county_under_it_alone():
    p = policy(budget_cap=Decimal("1000000"))
    s = station()
    assert allocations(computed(p))[s.pk].amount == Decimal("12000.00")


# --- idempotency, approval, equivalence, query count ----------------------------------------------------------


def test_recomputing_replaces_proposed_allocations_and_approval_locks_the_run():
    s = station()
    p = policy()
    run = computed(p)
    assert run.__class__.objects.get(pk=run.pk).status == RunStatus.PROPOSED
    activities(s, 0)
    subsidy_run_compute(run=run)
    assert SubsidyAllocation.objects.filter(run=run).count() == 2
    subsidy_run_approve(run=run)
    assert set(SubsidyAllocation.objects.filter(run=run).values_list("status", flat=True)) == {"approved"}
    before = list(SubsidyAllocation.objects.filter(run=run).values_list("pk", "amount"))
    with pytest.raises(ValidationError):
        subsidy_run_compute(run=run)
    assert list(SubsidyAllocation.objects.filter(run=run).values_list("pk", "amount")) == before
    assert SubsidyRun.objects.get(pk=run.pk).history.filter(status="approved").exists()


def varied_stations():
    station()
    station(since=dt.date(Y, 4, 15), n_activities=2)
    station(stars=1, n_activities=7)
    station(status=StationStatus.DELISTED, status_since=dt.date(Y, 8, 20))
    r = station(stars=2)
    Rectification.objects.create(station=r, issued_on=dt.date(Y, 11, 1), deadline=dt.date(Y, 12, 1), findings="x")
    expired = StationFactory()
    give_stars(expired, 3, dt.date(Y - 1, 1, 1), dt.date(Y, 5, 31))
    station(stars=0)
    station(region_id=RUNCHENG)  # another county: not in the run


def snapshot(run):
    return sorted(
        SubsidyAllocation.objects.filter(run=run).values_list(
            "station_id", "subsidy_type", "stars", "amount", "breakdown"
        )
    )


def test_the_set_based_run_and_the_per_station_loop_give_identical_allocations():
    varied_stations()
    p = policy(budget_cap=Decimal("60000"))
    run = computed(p)
    fast = snapshot(run)
    subsidy_run_compute_naive(run=run)
    assert snapshot(run) == fast and len(fast) >= 10


def test_the_number_of_queries_does_not_grow_with_the_number_of_stations():
    p = policy()
    run = make_run(p)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            subsidy_run_compute(run=run)
        return len(ctx.captured_queries)

    station()
    queries()  # a first run: later ones also replace its allocations (and record their deletion for the API)
    few = queries()
    for _ in range(5):  # (SQLite inserts in batches of ~99 rows; PostgreSQL in one statement: see the benchmark)
        varied_stations()
    assert queries() == few
    assert few <= 30  # a fixed handful: reads, progress updates, one insert


# --- bad input ------------------------------------------------------------------------------------------------


def test_a_run_for_a_period_with_no_policy_is_refused_and_nothing_is_written():
    policy()
    with pytest.raises(ValidationError) as exc:
        subsidy_run_create(region_code=QINSHUI, period_start=dt.date(Y + 1, 1, 1), period_end=dt.date(Y + 1, 12, 31))
    assert "policy" in exc.value.messages[0].lower() or exc.value.messages
    with pytest.raises(ValidationError):
        subsidy_run_create(region_code=YANGCHENG, period_start=JAN1, period_end=DEC31)
    with pytest.raises(ValidationError):  # not one of the policy's periods
        subsidy_run_create(region_code=QINSHUI, period_start=JAN1, period_end=dt.date(Y, 6, 30))
    assert not SubsidyRun.objects.exists()


def test_a_gap_between_policies_leaves_its_periods_without_a_policy():
    make_policy(QINSHUI, starts_on=dt.date(Y, 1, 1), ends_on=dt.date(Y, 3, 31), period_months=3)
    make_policy(QINSHUI, starts_on=dt.date(Y, 7, 1), ends_on=dt.date(Y, 9, 30), period_months=3)
    with pytest.raises(ValidationError):
        subsidy_run_create(region_code=QINSHUI, period_start=dt.date(Y, 4, 1), period_end=dt.date(Y, 6, 30))
    assert subsidy_run_create(region_code=QINSHUI, period_start=dt.date(Y, 7, 1), period_end=dt.date(Y, 9, 30))


def test_overlapping_policies_of_one_region_are_refused():
    policy()
    overlapping = SubsidyPolicy(
        region_id=QINSHUI, name="重叠", starts_on=dt.date(Y, 7, 1), ends_on=dt.date(Y + 1, 6, 30)
    )
    with pytest.raises(ValidationError) as exc:
        subsidy_policy_save(policy=overlapping)
    assert "starts_on" in exc.value.message_dict
    assert SubsidyPolicy.objects.count() == 1
    SubsidyPolicy(region_id=YANGCHENG, name="别县", starts_on=JAN1, ends_on=DEC31).full_clean()


@pytest.mark.parametrize(
    "fields,error",
    [
        ({"starts_on": dt.date(Y, 1, 5)}, "starts_on"),
        ({"ends_on": dt.date(Y, 12, 30)}, "ends_on"),
        ({"ends_on": dt.date(Y, 10, 31), "period_months": 3}, "period_months"),
    ],
)
def test_a_policy_spans_whole_periods_of_whole_months(fields, error):
    p = SubsidyPolicy(
        region_id=QINSHUI, name="p", **{"starts_on": JAN1, "ends_on": DEC31, "period_months": 12, **fields}
    )
    with pytest.raises(ValidationError) as exc:
        subsidy_policy_save(policy=p)
    assert error in exc.value.message_dict


def test_rates_with_a_gap_or_a_duplicate_star_level_are_refused_and_nothing_is_written():
    p = SubsidyPolicy(region_id=QINSHUI, name="有缺口", starts_on=JAN1, ends_on=DEC31)
    gap = [SubsidyRate(kind="rest", stars=s, operating=Decimal("1000")) for s in (1, 3)]
    with pytest.raises(ValidationError):
        subsidy_policy_save(policy=p, rates=gap)
    twice = [SubsidyRate(kind="rest", stars=1, operating=Decimal("1000"))] * 2
    with pytest.raises(ValidationError):
        subsidy_policy_save(policy=p, rates=twice)
    negative = [SubsidyRate(kind="rest", stars=1, operating=Decimal("-5"))]
    with pytest.raises(ValidationError):
        subsidy_policy_save(policy=p, rates=negative)
    assert not SubsidyPolicy.objects.exists() and not SubsidyRate.objects.exists()


# --- payment list, admin, beat --------------------------------------------------------------------------------


def test_the_payment_list_is_exported_only_after_approval():
    s = station(name='=HYPERLINK("x")', payee_name='=HYPERLINK("y")', payee_bank="中国工商银行沁水支行",
                bank_account="6222 0206 0200 1234 567")  # fmt: skip
    run = computed(policy())
    with pytest.raises(ValidationError):
        subsidy_payment_export(run=run)
    subsidy_run_approve(run=run)
    run.refresh_from_db()
    sheet = load_workbook(io.BytesIO(subsidy_payment_export(run=run))).active
    rows = list(sheet.iter_rows(values_only=True))
    body = [r for r in rows[2:] if r[0]]
    assert [(r[0], r[4]) for r in body] == [(1, 32000)]  # one row per payee: the station's allocations summed
    assert body[0][1].startswith("'=") and s.name in body[0][5]  # formula neutralised; the purpose names it
    assert rows[-1][4] == 32000


def paid_run(*stations_fields):
    made = [station(**fields) for fields in stations_fields]
    run = computed(policy())
    subsidy_run_approve(run=run)
    run.refresh_from_db()
    return made, run


BANK = {"payee_bank": "中国工商银行沁水支行", "bank_account": "6222020602001234567"}


def test_the_payment_list_is_laid_out_for_the_bank_with_the_account_masked_unless_revealed(people):
    _stations, run = paid_run({"payee_name": "沁水县嘉峰镇总工会", **BANK}, {"name": "无户名站", **BANK})
    run.approved_by = people["alice"]
    run.save()
    book = load_workbook(io.BytesIO(subsidy_payment_export(run=run, user=people["carol"])))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert "审批" in " ".join(str(c) for c in rows[0] if c)  # the approval above the header
    assert list(rows[1]) == ["序号", "收款单位/户名", "开户银行", "银行账号", "金额（元）", "用途/摘要"]
    body = rows[2:-1]
    assert [(r[0], r[1], r[3]) for r in body] == [(1, "沁水县嘉峰镇总工会", "6222***********4567")]  # carol: masked
    assert sheet.cell(row=3, column=5).number_format == MONEY_FORMAT
    # No payee of its own, no host organisation: that station is left out with its reason, not dropped.
    left = list(book.worksheets[1].iter_rows(values_only=True))
    assert len(book.worksheets) == 2 and "无户名站" in str(left)
    assert rows[-1][4] + left[-1][2] == run.total
    assert not PersonalDataReveal.objects.exists()
    book = load_workbook(io.BytesIO(subsidy_payment_export(run=run, user=people["alice"])))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[2][3] == "6222020602001234567" and PersonalDataReveal.objects.get().count == 1  # full, logged


def test_a_station_without_an_account_is_listed_with_the_reason_and_the_totals_still_match_the_run():
    _stations, run = paid_run(
        {"name": "有账户站", "payee_name": "某公司", **BANK}, {"name": "缺账户站", "payee_name": "某单位"}
    )
    book = load_workbook(io.BytesIO(subsidy_payment_export(run=run)))
    paid, left = (list(ws.iter_rows(values_only=True)) for ws in book.worksheets)
    assert [r[1] for r in paid[2:-1]] == ["某公司"]
    reason = [r for r in left if r[1] == "缺账户站"][0][3]
    assert "开户银行" in reason and "银行账号" in reason and "站点页面" in reason
    assert paid[-1][4] + left[-1][2] == run.total


def test_a_bank_account_is_checked_and_kept_as_digits():
    s = station()
    s.bank_account, s.payee_bank = "6222 0206-0200 1234 567", ""
    with pytest.raises(ValidationError) as problem:
        s.full_clean()
    assert "payee_bank" in problem.value.error_dict and s.bank_account == "6222020602001234567"
    s.bank_account, s.payee_bank = "12AB", "工行"
    with pytest.raises(ValidationError) as problem:
        s.full_clean()
    assert "bank_account" in problem.value.error_dict


def test_county_staff_start_a_run_in_the_admin_approve_it_and_download_the_payment_list(
    alice, client_for, django_capture_on_commit_callbacks
):
    s = station()
    policy()
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:stations_subsidyrun_add"),
            {"region": QINSHUI, "period_start": JAN1.isoformat(), "period_end": DEC31.isoformat()},
        )
    run = SubsidyRun.objects.get()
    assert response.status_code == 302
    assert run.status == RunStatus.PROPOSED and run.job.percent == 100 and run.allocation_count == 2
    page = client.get(reverse("admin:stations_subsidyrun_change", args=[run.pk]))
    assert page.status_code == 200 and page.context["can_approve"]
    approve = reverse("admin:stations_subsidyrun_approve", args=[run.pk])
    confirm = client.get(approve)  # approving money is confirmed with the count and the total first
    assert confirm.status_code == 200 and "32,000.00" in confirm.text and str(run.allocation_count) in confirm.text
    client.post(approve)  # a bare POST (no confirmed figures) only shows the confirmation again
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    client.post(approve, {"confirm_count": str(run.allocation_count), "confirm_total": "1.00"})
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED  # the figures confirmed are not the run's
    client.post(approve, {"confirm_count": str(run.allocation_count), "confirm_total": str(run.total)})
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.approved_by == alice
    assert run.history.filter(status="approved").first().history_user == alice
    export = client.get(reverse("admin:stations_subsidyrun_export", args=[run.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert SubsidyAllocation.objects.filter(station=s, status=AllocationStatus.APPROVED).count() == 2


def test_a_run_for_a_period_without_a_policy_is_a_form_error_in_the_admin(alice, client_for):
    response = client_for(alice).post(
        reverse("admin:stations_subsidyrun_add"),
        {"region": QINSHUI, "period_start": JAN1.isoformat(), "period_end": DEC31.isoformat()},
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not SubsidyRun.objects.exists()


def test_an_inspector_cannot_approve_a_run(people, client_for):
    station()
    run = computed(policy())
    response = client_for(people["erin"]).post(reverse("admin:stations_subsidyrun_approve", args=[run.pk]))
    assert response.status_code == 403
    assert SubsidyRun.objects.get(pk=run.pk).status == RunStatus.PROPOSED


def test_beat_creates_the_runs_of_periods_that_just_ended():
    p = policy(period_months=3)
    runs = subsidy_runs_due(today=dt.date(Y, 4, 2))
    assert [(r.period_start, r.period_end) for r in runs] == [(JAN1, dt.date(Y, 3, 31))]
    assert subsidy_runs_due(today=dt.date(Y, 4, 3))[0].pk == runs[0].pk  # found, not created twice
    assert SubsidyRun.objects.filter(policy=p).count() == 1


# --- PostgreSQL: concurrency ----------------------------------------------------------------------------------


def in_threads(target, n=4):
    errors = []
    barrier = threading.Barrier(n)

    def work():
        try:
            barrier.wait()
            target()
        except Exception as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_computations_of_one_run_never_duplicate_an_allocation():
    ensure_catalogues()
    for _ in range(5):
        varied_stations()
    run = make_run(policy())
    errors = in_threads(lambda: subsidy_run_compute(run=SubsidyRun.objects.get(pk=run.pk)))
    assert not errors, errors
    rows = list(SubsidyAllocation.objects.filter(run=run).values_list("station_id", "subsidy_type"))
    assert len(rows) == len(set(rows)) > 0
    once = snapshot(run)
    subsidy_run_compute(run=run)
    assert snapshot(run) == once
    assert SubsidyRun.objects.get(pk=run.pk).status == RunStatus.PROPOSED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_for_the_same_period_started_at_once_make_one_run():
    ensure_catalogues()
    station()
    policy()
    made = []
    errors = in_threads(
        lambda: made.append(
            subsidy_run_create(region_code=QINSHUI, period_start=JAN1, period_end=DEC31, existing_ok=True).pk
        )
    )
    assert not errors, errors
    assert len(set(made)) == 1 and SubsidyRun.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_city_run_and_a_county_run_never_both_pay_a_station():
    ensure_catalogues()
    for _ in range(3):
        varied_stations()
    county = make_run(policy())
    city = make_run(make_policy("1405", min_activities=6, min_visitors=2000))
    errors = in_threads(lambda: None, n=1)
    assert not errors
    runs = [county, city]
    errors = []
    threads = []
    for r in runs:

        def go(r=r):
            try:
                subsidy_run_compute(run=SubsidyRun.objects.get(pk=r.pk))
            except Exception as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        threads.append(threading.Thread(target=go))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    rows = list(SubsidyAllocation.objects.values_list("station_id", "period_start", "subsidy_type"))
    assert len(rows) == len(set(rows))


# --- a real Celery worker over Redis ---------------------------------------------------------------------------


def test_a_run_for_a_period_that_has_not_ended_is_refused_beside_its_end_date(alice, client_for):
    today = dt.date.today()
    make_policy(QINSHUI, starts_on=dt.date(today.year, 1, 1), ends_on=dt.date(today.year, 12, 31))
    with pytest.raises(ValidationError) as refused:
        subsidy_run_create(
            region_code=QINSHUI, period_start=dt.date(today.year, 1, 1), period_end=dt.date(today.year, 12, 31)
        )
    assert "period_end" in refused.value.error_dict
    response = client_for(alice).post(
        reverse("admin:stations_subsidyrun_add"),
        {"region": QINSHUI, "period_start": f"{today.year}-01-01", "period_end": f"{today.year}-12-31"},
    )
    assert response.status_code == 200 and not SubsidyRun.objects.exists()
    assert response.context["adminform"].form.errors["period_end"][0].startswith("这一期")


def test_the_breakdown_reads_in_chinese(db):
    from django.utils import translation

    from stations.services.subsidy_rules import Rules, StationFacts, station_allocations

    with translation.override("zh-hans"):
        rules = Rules(
            period_start=JAN1,
            period_end=DEC31,
            rates={("rest", 2): (Decimal("10000"), Decimal("3750"))},
            min_activities=0,
            min_visitors=0,
            shortfall_percent=50,
            suspend_while_rectifying=True,
            budget_cap=None,
            language="zh-hans",
        )
        facts = StationFacts(1, QINSHUI, "rest", None, ((dt.date(Y, 6, 1), None, 2),), 0, 0, (), True, False)
        (draft,) = station_allocations(facts, rules)
    assert draft.breakdown.startswith("二星"), draft.breakdown
    assert not any(word in draft.breakdown for word in ("star", "pro rata", "days"))


def test_the_payment_list_is_written_by_the_one_writer(alice, client_for):
    station(name="甲站", payee_name="@SUM(A1)", **BANK)
    station(name="乙站", payee_name="+1 驿站", **BANK)
    run = computed(policy())
    subsidy_run_approve(run=run)
    response = client_for(alice).get(reverse("admin:stations_subsidyrun_export", args=[run.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = checks.open_xlsx(response.content).active
    assert sheet.title == "发放清单" and sheet.freeze_panes == "A3"  # the region and period above the header
    checks.assert_chinese([cell.value for cell in sheet[2]], sheet.title)
    assert (
        checks.cell_holding(sheet, "'@SUM(A1)").data_type == "s"
        and checks.cell_holding(sheet, "'+1 驿站").data_type == "s"
    )
    amount = checks.cell_holding(sheet, "'@SUM(A1)").offset(column=3)
    assert amount.value == 32000 and amount.number_format == "#,##0.00"  # the station's allocations summed
