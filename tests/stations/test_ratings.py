"""Star ratings: schemes and their versions, pre-filled scores, submission and approval, validity and expiry,
downgrade and revocation, the plaque lifecycle, workers' ratings and the county flags."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stations.choices import StationStatus
from stations.models import (
    Evaluation,
    IndicatorScore,
    PlaqueEvent,
    RatingScheme,
    StarRating,
    Station,
    StationRating,
    VisitorCount,
)
from stations.models.ratings import EvaluationStatus, SchemeStatus, StarChange
from stations.selectors import ratings as rating_selectors
from stations.services import (
    evaluation_approve,
    evaluation_prefill,
    evaluation_return,
    evaluation_score,
    evaluation_start,
    evaluation_submit,
    plaque_award,
    plaque_revoke,
    scheme_activate,
    scheme_for_station,
    scheme_new_version,
    scheme_save,
    star_in_force,
    star_rating_adjust,
    star_rating_revoke,
    station_rating_submit,
)
from tests.factories import JIAFENG, QINSHUI, RUNCHENG
from tests.stations.factories import ActivityFactory, StationFactory, basic_facilities, ensure_catalogues
from tests.stations.rating_factories import ensure_schemes, give_stars, make_scheme

pytestmark = pytest.mark.usefixtures("regions")
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def seeded(db):
    ensure_catalogues()
    ensure_schemes()


def rest_scheme():
    return RatingScheme.objects.get(code="rest-station", version=1)


def scored(station, scores=None, *, scheme=None, date=None):
    """An evaluation of ``station`` with every indicator scored (given codes, else the suggestion or full)."""
    evaluation = evaluation_start(station=station, inspectors="赵刚、孙丽", scheme=scheme, date=date or TODAY)
    values = {}
    for row in evaluation.scores.select_related("indicator"):
        code = row.indicator.code
        if scores and code in scores:
            values[code] = scores[code]
        elif row.score is None:
            values[code] = row.indicator.max_points
    evaluation_score(evaluation=evaluation, scores=values)
    return evaluation


# --- schemes -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "total,stars", [("0", 0), ("59.9", 0), ("60", 1), ("69.9", 1), ("70", 2), ("87.9", 3), ("88", 4), ("100", 5)]
)
def test_a_total_reaches_the_star_level_whose_minimum_it_meets(total, stars):
    assert rest_scheme().stars_for(Decimal(total)) == stars


def test_the_default_schemes_cover_every_kind_with_100_points():
    liuyou = RatingScheme.objects.get(code="liuyou", version=1)
    assert liuyou.kinds == ["labour"] and rest_scheme().kinds == ["rest", "workshop"]
    for scheme in (liuyou, rest_scheme()):
        assert sum(i.max_points for i in scheme.indicators.all()) == 100
        assert scheme.status == SchemeStatus.ACTIVE and scheme.region_id is None
    assert {i.group for i in liuyou.indicators.all()} == {"有平台", "有队伍", "有制度", "有保障", "有标准", "有成效"}


@pytest.mark.parametrize("thresholds", [[60, 70, 80, 88], [60, 70, 70, 88, 95], [95, 88, 80, 70, 60], [0, 1, 2, 3, 4]])
def test_thresholds_must_be_five_ascending_positive_totals(thresholds):
    scheme = make_scheme()
    scheme.thresholds = thresholds
    with pytest.raises(ValidationError) as exc:
        scheme_save(scheme=scheme)
    assert "thresholds" in exc.value.message_dict


def test_a_scheme_in_use_is_never_changed_in_place():
    scheme = rest_scheme()
    scheme.name = "改过的名字"
    with pytest.raises(ValidationError):
        scheme_save(scheme=scheme)
    assert RatingScheme.objects.get(pk=scheme.pk).name != "改过的名字"


def test_a_new_version_is_a_draft_copy_that_retires_the_old_one_when_put_in_use():
    old = rest_scheme()
    station = StationFactory()
    past = scored(station, scheme=old)
    new = scheme_new_version(scheme=old, region_code=QINSHUI)
    assert (new.version, new.status, new.region_id) == (2, SchemeStatus.DRAFT, QINSHUI)
    assert [i.code for i in new.indicators.all()] == [i.code for i in old.indicators.all()]
    new.name = "沁水县驿站评定标准（2026 版）"
    scheme_save(scheme=new)
    new.indicators.filter(code="navigation").update(max_points=3)
    new.indicators.filter(code="management").update(max_points=7)
    scheme_activate(scheme=new)
    # The county's own version now applies in 沁水县; a station elsewhere keeps the shared default.
    assert scheme_for_station(station) == new
    assert scheme_for_station(StationFactory(region_id=RUNCHENG)) == old
    assert RatingScheme.objects.get(pk=old.pk).status == SchemeStatus.ACTIVE  # shared: another region
    assert Evaluation.objects.get(pk=past.pk).scheme == old
    assert old.indicators.get(code="navigation").max_points == 5


def test_putting_a_version_in_use_retires_the_previous_one_of_the_same_region():
    first = make_scheme(region_id=QINSHUI, status=SchemeStatus.ACTIVE)
    second = scheme_activate(scheme=scheme_new_version(scheme=first))
    first.refresh_from_db()
    assert first.status == SchemeStatus.RETIRED and second.status == SchemeStatus.ACTIVE


def test_a_scheme_whose_five_star_minimum_exceeds_its_points_is_not_put_in_use():
    scheme = make_scheme(thresholds=(10, 12, 14, 16, 25))
    with pytest.raises(ValidationError):
        scheme_activate(scheme=scheme)
    assert RatingScheme.objects.get(pk=scheme.pk).status == SchemeStatus.DRAFT


# --- pre-filled scores -------------------------------------------------------------------------------------


def suggestions(evaluation):
    return {s.indicator.code: s for s in evaluation.scores.select_related("indicator")}


def test_scores_are_prefilled_from_facilities_activities_and_visitors():
    station = StationFactory(open_24h=False)
    for n in range(6):
        ActivityFactory(station=station, date=TODAY - dt.timedelta(days=20 * n + 1))
    ActivityFactory(station=station, date=TODAY - dt.timedelta(days=400))  # older than 12 months: not counted
    VisitorCount.objects.bulk_create(
        VisitorCount(station=station, date=TODAY - dt.timedelta(days=d + 1), visitors=73) for d in range(100)
    )
    rows = suggestions(evaluation_start(station=station, inspectors="赵刚"))
    assert rows["facilities_basic"].suggested == Decimal("20.0")  # every basic facility present
    assert rows["activities"].suggested == Decimal("5.0")  # 6 of 12 → 10 × 6/12
    assert "6" in rows["activities"].basis
    assert rows["visitors"].suggested == Decimal("10.0")  # 7300 / 365 = 20 a day → full
    assert rows["management"].suggested is None and rows["management"].score is None
    assert rows["facilities_basic"].score == rows["facilities_basic"].suggested


def test_missing_basic_facilities_lower_the_suggestion_and_are_named():
    facilities = basic_facilities("rest")
    station = StationFactory(facilities=facilities[:3])
    row = suggestions(evaluation_start(station=station, inspectors="赵刚"))["facilities_basic"]
    assert row.suggested == Decimal("10.0")  # 3 of 6
    assert facilities[5].name in row.basis


def test_a_24_hour_claim_is_checked_against_night_visitors():
    backed = StationFactory(open_24h=True)
    unbacked = StationFactory(open_24h=True)
    for station, nights in ((backed, 80), (unbacked, 15)):
        VisitorCount.objects.bulk_create(
            VisitorCount(station=station, date=TODAY - dt.timedelta(days=d + 1), visitors=40, night_visitors=3)
            for d in range(nights)
        )
    assert suggestions(evaluation_start(station=backed, inspectors="赵刚"))["hours"].suggested == Decimal("15.0")
    row = suggestions(evaluation_start(station=unbacked, inspectors="赵刚"))["hours"]
    assert row.suggested == Decimal("3.8")  # 15 × 15/60 = 3.75
    assert "15" in row.basis


def test_worker_ratings_feed_satisfaction_only_from_five_ratings():
    station = StationFactory()
    for n, score in enumerate([5, 4, 4, 5]):
        station_rating_submit(station=station, mobile=f"1380000000{n}", score=score)
    evaluation = evaluation_start(station=station, inspectors="赵刚")
    assert suggestions(evaluation)["satisfaction"].suggested is None
    station_rating_submit(station=station, mobile="13800000009", score=2)
    evaluation_prefill(evaluation=evaluation)
    row = suggestions(evaluation)["satisfaction"]
    assert row.suggested == Decimal("12.0")  # average 4.0 of 5 → 15 × 0.8
    assert row.score == Decimal("12.0")


# --- scoring, submission, approval ----------------------------------------------------------------------


def test_a_score_above_an_indicators_maximum_is_refused_and_nothing_is_written():
    evaluation = evaluation_start(station=StationFactory(), inspectors="赵刚")
    before = list(evaluation.scores.values_list("pk", "score"))
    with pytest.raises(ValidationError) as exc:
        evaluation_score(evaluation=evaluation, scores={"management": 4, "navigation": 9})
    assert any("5" in message for message in exc.value.messages)
    assert list(evaluation.scores.values_list("pk", "score")) == before


def test_overriding_a_suggestion_needs_a_reason():
    evaluation = evaluation_start(station=StationFactory(), inspectors="赵刚")
    with pytest.raises(ValidationError):
        evaluation_score(evaluation=evaluation, scores={"facilities_basic": 15})
    evaluation_score(evaluation=evaluation, scores={"facilities_basic": (15, "微波炉损坏")})
    row = suggestions(evaluation)["facilities_basic"]
    assert row.score == 15 and row.suggested == 20 and row.override_reason == "微波炉损坏"


def test_an_evaluation_with_an_unscored_indicator_cannot_be_submitted():
    evaluation = evaluation_start(station=StationFactory(), inspectors="赵刚")
    with pytest.raises(ValidationError) as exc:
        evaluation_submit(evaluation=evaluation)
    assert len(exc.value.messages) >= 4  # the manual indicators
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.DRAFT


def test_approval_gives_the_star_level_until_the_end_of_the_following_year_and_the_first_plaque():
    station = StationFactory(plaque_number="", plaque_date=None)
    reason = "现场核实"
    evaluation = scored(
        station, {"satisfaction": 15, "activities": (10, reason), "visitors": (10, reason), "hours": (15, reason)}
    )
    evaluation_submit(evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert evaluation.total == sum(s.score for s in evaluation.scores.all())
    assert evaluation.stars == rest_scheme().stars_for(evaluation.total)
    approved_on = TODAY
    rating = evaluation_approve(evaluation=evaluation, date=approved_on)
    assert rating.stars == evaluation.stars >= 1
    assert rating.valid_until == dt.date(approved_on.year + 1, 12, 31)
    assert rating.change == StarChange.AWARDED and rating.evaluation == evaluation
    assert star_in_force(station) == rating
    station.refresh_from_db()
    assert station.plaque_number == f"{QINSHUI}-{approved_on.year}-001" and station.plaque_date == approved_on
    assert PlaqueEvent.objects.get(station=station).action == "awarded"
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.APPROVED


def test_a_returned_evaluation_goes_back_to_the_inspector_and_can_be_resubmitted():
    evaluation = evaluation_submit(evaluation=scored(StationFactory()))
    with pytest.raises(ValidationError):
        evaluation_return(evaluation=evaluation, note=" ")
    evaluation_return(evaluation=evaluation, note="请复核满意度")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.RETURNED
    evaluation_score(evaluation=evaluation, scores={"management": 3})
    evaluation_submit(evaluation=evaluation)
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.SUBMITTED


def test_a_total_below_one_star_ends_the_previous_level():
    station = StationFactory()
    give_stars(station, 3, TODAY - dt.timedelta(days=300))
    zeros = dict.fromkeys(("facilities_basic", "facilities_extra", "hours", "services"), (0, "不达标"))
    zeros.update(dict.fromkeys(("navigation", "activities", "visitors", "satisfaction", "management"), 0))
    zeros["manager_training"] = 0
    evaluation = evaluation_submit(evaluation=scored(station, zeros))
    rating = evaluation_approve(evaluation=evaluation)
    assert rating.stars == 0 and rating.change == StarChange.NOT_QUALIFIED
    assert star_in_force(station) is None


def test_only_operating_or_rectifying_stations_are_evaluated():
    with pytest.raises(ValidationError):
        evaluation_start(station=StationFactory(status=StationStatus.BUILDING), inspectors="赵刚")


# --- validity, downgrade, revocation ------------------------------------------------------------------------


def test_a_star_level_expires_after_its_last_valid_day():
    station = StationFactory()
    rating = give_stars(station, 4, dt.date(2024, 3, 1), dt.date(2025, 12, 31))
    assert star_in_force(station, dt.date(2025, 12, 31)) == rating
    assert star_in_force(station, dt.date(2026, 1, 1)) is None
    assert star_in_force(station, dt.date(2024, 2, 29)) is None


def test_county_staff_downgrade_and_revoke_but_never_raise():
    station = StationFactory()
    awarded = give_stars(station, 4, TODAY - dt.timedelta(days=100))
    with pytest.raises(ValidationError):
        star_rating_adjust(station=station, stars=5, reason="表现好")
    with pytest.raises(ValidationError):
        star_rating_adjust(station=station, stars=2, reason="")
    lower = star_rating_adjust(station=station, stars=2, reason="巡查发现卫生差")
    assert star_in_force(station) == lower and lower.valid_until == awarded.valid_until
    star_rating_revoke(station=station, reason="长期未开放")
    assert star_in_force(station) is None
    assert list(StarRating.objects.filter(station=station).values_list("change", flat=True)) == [
        StarChange.REVOKED,
        StarChange.DOWNGRADED,
        StarChange.AWARDED,
    ]


# --- plaques ---------------------------------------------------------------------------------------------


def test_the_plaque_lifecycle_award_then_removal_delists_and_ends_the_star_level():
    station = StationFactory(plaque_number="", plaque_date=None)
    with pytest.raises(ValidationError):
        plaque_award(station=station)  # no star level yet
    give_stars(station, 3, TODAY - dt.timedelta(days=10))
    plaque_award(station=station, number="QS-2026-007")
    with pytest.raises(ValidationError):
        plaque_award(station=station)  # already has one
    with pytest.raises(ValidationError):
        plaque_revoke(station=station, reason="")
    plaque_revoke(station=station, reason="连续三个月无人使用，摘牌")
    station.refresh_from_db()
    assert station.plaque_number == "" and station.status == StationStatus.DELISTED
    assert station.status_changes.first().to_status == StationStatus.DELISTED
    assert star_in_force(station) is None
    assert list(station.plaque_events.values_list("action", "number")) == [
        ("revoked", "QS-2026-007"),
        ("awarded", "QS-2026-007"),
    ]
    with pytest.raises(ValidationError):
        plaque_award(station=station)  # delisted is final


# --- workers' ratings ------------------------------------------------------------------------------------


def test_one_rating_per_mobile_number_station_and_month():
    station = StationFactory()
    station_rating_submit(station=station, mobile="+86 138-0013-8000", score=5, comment="很方便")
    with pytest.raises(ValidationError) as exc:
        station_rating_submit(station=station, mobile="13800138000", score=1)
    assert exc.value.code == "duplicate"
    next_month = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    station_rating_submit(station=station, mobile="13800138000", score=4, today=next_month)
    station_rating_submit(station=StationFactory(), mobile="13800138000", score=4)
    rating = StationRating.objects.filter(station=station).last()
    assert rating.mobile_masked == "138****8000" and "13800138000" not in rating.mobile_hash


def test_the_public_rate_page_records_a_rating(client):
    station = StationFactory(code="140521104-R-009")
    url = reverse("stations:rate", args=[station.code])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="topbar"' in html and "public/public.css" in html  # the design of /join/ and the finder
    assert re.search(r'<input type="tel" name="mobile"[^>]*inputmode="tel"', html)  # the phone keypad
    assert f'href="{reverse("stations:detail", args=[station.code])}" id="rate-back"' in html
    response = client.post(url, {"score": "4", "comment": "热水很及时", "mobile": "13912345678"})
    assert response.status_code == 200 and "rate-done" in response.content.decode()
    done = response.content.decode()
    # The thank-you page is no dead end: back to the station, or to the finder; in the public design.
    assert f'href="{reverse("stations:detail", args=[station.code])}" id="done-station"' in done
    assert f'href="{reverse("stations:list")}" id="done-finder"' in done and 'class="topbar"' in done
    assert StationRating.objects.get(station=station).score == 4
    again = client.post(url, {"score": "2", "mobile": "139 1234 5678"})
    assert again.status_code == 400 and StationRating.objects.count() == 1
    bad = client.post(url, {"score": "9", "mobile": "12345"})
    assert bad.status_code == 400 and set(bad.context["form"].errors) == {"score", "mobile"}


def test_the_rate_page_is_missing_for_a_delisted_station(client):
    station = StationFactory(status=StationStatus.DELISTED)
    assert client.get(reverse("stations:rate", args=[station.code])).status_code == 404


def test_the_rate_page_is_rate_limited_per_address(client, settings):
    settings.STATION_RATING_RATE = "3/h"
    station = StationFactory()
    url = reverse("stations:rate", args=[station.code])
    codes = [client.post(url, {"score": "5", "mobile": f"1391234560{n}"}).status_code for n in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert StationRating.objects.count() == 3


# --- flags -------------------------------------------------------------------------------------------------


def test_rating_flags_count_expiring_due_and_low_satisfaction_stations():
    today = dt.date(2026, 11, 15)
    expiring = StationFactory()
    give_stars(expiring, 3, dt.date(2025, 6, 1), dt.date(2026, 12, 31))
    fresh = StationFactory()
    give_stars(fresh, 3, dt.date(2026, 6, 1), dt.date(2027, 12, 31))
    Evaluation.objects.create(
        station=fresh, scheme=rest_scheme(), date=dt.date(2026, 5, 20), inspectors="赵刚", status="approved"
    )
    never = StationFactory()
    unhappy = StationFactory()
    give_stars(unhappy, 2, dt.date(2026, 6, 1), dt.date(2027, 12, 31))
    Evaluation.objects.create(
        station=unhappy, scheme=rest_scheme(), date=dt.date(2026, 5, 20), inspectors="赵刚", status="approved"
    )
    for n in range(5):
        station_rating_submit(station=unhappy, mobile=f"1370000000{n}", score=2, today=today)
    stations = Station.objects.all()
    assert set(rating_selectors.stations_star_expiring(stations, today)) == {expiring}
    assert set(rating_selectors.stations_due_for_reevaluation(stations, today)) == {expiring, never}
    assert set(rating_selectors.stations_low_satisfaction(stations, today)) == {unhappy}
    flags = rating_selectors.rating_flags(stations, today)
    assert flags["stars_expiring"] == 1 and flags["due_for_reevaluation"] == 2 and flags["low_satisfaction"] == 1
    assert set(flags) == {
        "stars_expiring",
        "due_for_reevaluation",
        "low_satisfaction",
        "overdue_rectification",
        "inactive",
    }


def test_the_station_changelist_filters_by_star_level_and_flag(alice, client_for):
    three = StationFactory(name="三星驿站")
    give_stars(three, 3, TODAY - dt.timedelta(days=5))
    StationFactory(name="无星驿站")
    client = client_for(alice)
    url = reverse("admin:stations_station_changelist")
    shown = client.get(url, {"stars": "3"}).context["cl"].queryset
    assert [s.name for s in shown] == ["三星驿站"]
    shown = client.get(url, {"rating_flag": "due"}).context["cl"].queryset
    assert "无星驿站" in [s.name for s in shown]


# --- the admin workflow ----------------------------------------------------------------------------------


def test_an_inspector_scores_in_the_admin_and_county_staff_approve(people, client_for):
    erin, alice = people["erin"], people["alice"]
    station = StationFactory(name="嘉峰镇测试驿站", region_id=JIAFENG)
    client = client_for(erin)
    response = client.post(
        reverse("admin:stations_evaluation_add"),
        {"station": station.pk, "date": TODAY.isoformat(), "inspectors": "赵刚、孙丽", "note": ""},
    )
    evaluation = Evaluation.objects.get(station=station)
    assert response.status_code == 302 and response["Location"].endswith(f"/{evaluation.pk}/change/")
    from tests.admin_forms import change_form_data

    change_url = reverse("admin:stations_evaluation_change", args=[evaluation.pk])
    data = change_form_data(client, change_url)
    rows = list(evaluation.scores.select_related("indicator").order_by("indicator__sort_order", "indicator_id"))
    for n, row in enumerate(rows):
        data[f"scores-{n}-score"] = [str(row.indicator.max_points)]
        data[f"scores-{n}-override_reason"] = ["现场核实"]
    # a score over the maximum comes back as a form error and writes nothing
    over = dict(data, **{"scores-0-score": ["99"], "scores-0-override_reason": ["多给"]})
    assert client.post(change_url, over).status_code == 200
    assert IndicatorScore.objects.get(pk=rows[0].pk).score == rows[0].score
    data["_submit_evaluation"] = ["1"]
    assert client.post(change_url, data).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    decide = reverse("admin:stations_evaluation_decide", args=[evaluation.pk])
    assert client.post(decide, {"_approve": "1"}).status_code == 403  # inspectors do not approve
    assert client_for(alice).post(decide, {"_approve": "1"}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.APPROVED and evaluation.decided_by == alice
    assert evaluation.stars == 5 and star_in_force(station).stars == 5


def test_the_public_station_page_links_to_the_rate_page(client):
    station = StationFactory(code="140521104-R-010")
    response = client.get(reverse("stations:detail", args=[station.code]))
    assert reverse("stations:rate", args=[station.code]) in response.content.decode()
