"""Figures counted from the records (referrals = 就业意向, hires = 解决就业), scoped; sheet numbering; the
spreadsheet import of wishes (all rows or none, errors by row and column in Chinese)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dashboard.services.snapshots import dashboard_refresh
from employment.choices import Outcome
from employment.models import FairEmployer, FairSignup, JobFair, JobWish
from employment.selectors import employment_figures, fair_figures, posts_by_title, sheet_numbering
from employment.services import referral_make, referral_record, sheet_print, wishes_import
from tests.employment.factories import TODAY, filed, published
from tests.factories import TOWN_OF, YANGCHENG
from tests.stations.factories import StationFactory

pytestmark = pytest.mark.django_db


def test_figures_come_from_the_records_and_are_scoped(regions, alice, carol):
    station = StationFactory()
    rider = published(station, title="外卖骑手", posts=200)
    published(station, title="针车工", posts=10, occupation="employee")
    published(station, title="物业保安", posts=20, occupation="other")
    published(StationFactory(region_id=TOWN_OF[YANGCHENG]), county=YANGCHENG, title="外卖骑手", posts=7)
    wishes = [filed(station) for _ in range(3)]
    outcomes = [Outcome.HIRED, Outcome.NOT_HIRED, Outcome.NO_SHOW]
    for wish, outcome in zip(wishes, outcomes, strict=True):
        referral = referral_make(vacancy=rider, wish=wish, user=alice, today=TODAY)
        referral_record(referral=referral, user=alice, outcome=outcome)
    # The wishes are counted by when they were filed (now), which is past TODAY when the suite crosses midnight.
    start, end = TODAY.replace(month=1, day=1), timezone.localdate()
    figures = employment_figures(user=alice, start=start, end=end, group="county")
    assert figures.total == {"vacancies": 3, "posts": 230, "wishes": 3, "referrals": 3, "hires": 1}
    assert posts_by_title(user=alice, start=start, end=end) == [("外卖骑手", 200), ("物业保安", 20), ("针车工", 10)]
    wider = employment_figures(user=carol, start=start, end=end, group="county")
    assert len(wider.rows) == 2 and wider.total["posts"] == 237


def test_sheets_are_numbered_issue_and_edition(regions, alice):
    station = StationFactory()
    published(station)
    first = sheet_print(station=station, user=None, today=TODAY)
    again = sheet_print(station=station, user=None, size="poster", today=TODAY)
    published(station, title="新岗位")
    changed = sheet_print(station=station, user=None, today=TODAY)
    assert [(s.issue, s.edition) for s in (first, again, changed)] == [(1, 1), (1, 2), (2, 1)]
    assert sheet_numbering(user=alice, year=TODAY.year) == {"issues": 2, "editions": 3}
    assert changed.vacancies.count() == 2


def test_fair_results(regions, alice):
    fair = JobFair.objects.create(name="新就业形态专场", region_id="140521", held_on=TODAY, online=False)
    FairEmployer.objects.bulk_create([FairEmployer(fair=fair, employer_name=f"企业{i}", posts=3) for i in range(4)])
    FairSignup.objects.bulk_create(
        [FairSignup(fair=fair, checked_in=True, intention=i < 3, hired=i < 1) for i in range(5)]
    )
    figures = fair_figures(user=alice, start=TODAY - dt.timedelta(days=1), end=TODAY)
    assert (figures["fairs"], figures["employers"], figures["posts"], figures["intentions"], figures["hires"]) == (
        1,
        4,
        12,
        3,
        1,
    )


HEADER = "姓名,求职岗位,期望月薪,每天工作时长,手机号码,同意推荐\n"
CSV_OK = HEADER + "张三,外卖骑手,5000,10,13912345678,是\n李四,courier,4500,8,13812345678,是\n"
CSV_BAD = HEADER + "张三,外卖骑手,5000,10,13912345678,是\n李四,宇航员,4500,8,1234,否\n"


def test_the_import_saves_every_row_or_none(regions, alice):
    station = StationFactory()
    with translation.override("zh-hans"):
        saved, errors = wishes_import(station=station, user=alice, data=CSV_BAD.encode(), filename="问卷.csv")
    assert saved == 0 and not JobWish.objects.exists()
    assert {(e.row, e.column) for e in errors} == {(3, "求职岗位"), (3, "手机号码"), (3, "同意推荐")}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in errors)
    saved, errors = wishes_import(station=station, user=alice, data=CSV_OK.encode(), filename="问卷.csv")
    assert (saved, errors) == (2, []) and JobWish.objects.filter(source="import").count() == 2


def test_the_dashboard_shows_the_years_jobs_figures_in_reach(regions, client_for, people):
    station = StationFactory()
    vacancy = published(station, posts=7)
    referral = referral_make(vacancy=vacancy, wish=filed(station), user=None, today=TODAY)
    referral_record(referral=referral, user=None, outcome=Outcome.HIRED, interview_on=TODAY)
    url = reverse("dashboard") + f"?year={TODAY.year}"
    client_for(people["alice"]).get(url)  # asks for the figures of alice's reach and year
    client_for(people["bob"]).get(url)
    dashboard_refresh()  # the dashboard shows what its refresh job stored, never counted on the visit
    section = client_for(people["alice"]).get(url).content.decode()
    assert 'id="employment-figures"' in section and "沁水县" in section
    assert '<td>沁水县</td><td class="uh-num">1</td><td class="uh-num">7</td>' in section.replace("\n", "")
    assert 'id="employment-figures"' not in client_for(people["bob"]).get(url).content.decode()
