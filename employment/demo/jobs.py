"""A year of jobs at 沁水县's stations, ending the day the demo is loaded (bulk writes: seed_demo stays fast).

The figures reproduce the source articles (GLOSSARY, ../shared/seeds): the main station's notice of vacancies
is Dachuan's - 外卖骑手 200, 针车工 10, 物业保安 20 - and its sheets this year are "10 issues, 22 editions";
the county's fair for new-form workers has 1,230 employers and 3,050 posts; 36 online fairs reached 925 job
intentions (Jiamusi's "36 online fairs, 920+ intentions"). Around them: a year of checked vacancies at every
operating station, questionnaire and phone wishes, referrals with interviews and outcomes. The local minimum
wage is Shanxi's third band (1,780 yuan a month from 1 October 2023) - demo data, to be set by each county.

Idempotent: the county fair is the marker; when it exists nothing is written."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from employment.choices import FairKind, Outcome, PayBasis, VacancyStatus, WishSource, WishStatus
from employment.models import (
    FairEmployer,
    FairSignup,
    JobFair,
    JobSheet,
    JobWish,
    MinimumWage,
    Referral,
    Vacancy,
    VacancyCheck,
)
from stations.choices import StationStatus
from stations.models import Station
from unionhub.demo.core import QINSHUI, demo_credit_code

FAIR_NAME = "沁水县新就业形态劳动者专场招聘会"
NOTICE = [  # Dachuan's notice: title, occupation, posts, pay, basis, monthly estimate, employer
    ("外卖骑手", "delivery_rider", 200, ("6", "9"), PayBasis.ORDER, "6500", "沁水县快达外卖配送服务有限公司"),
    ("针车工", "employee", 10, ("4500", "6500"), PayBasis.MONTHLY, None, "沁水县锦绣服饰有限公司"),
    ("物业保安", "other", 20, ("3200", "3800"), PayBasis.MONTHLY, None, "沁水县安居物业服务有限公司"),
]
YEAR_JOBS = [
    ("快递分拣员", "courier", ("3800", "5000")),
    ("货车司机（A2）", "truck_driver", ("7000", "9000")),
    ("网约车司机", "ride_hailing_driver", ("5000", "8000")),
    ("家政服务员", "home_service", ("3500", "5500")),
    ("环卫保洁员", "sanitation", ("2600", "3000")),
    ("钢筋工", "construction", ("7000", "9500")),
    ("仓库管理员", "employee", ("3800", "4500")),
    ("养老护理员", "other", ("3500", "4800")),
]
SHEET_EDITIONS = [2, 2, 2, 3, 2, 2, 3, 2, 2, 2]  # 10 issues, 22 editions
FAIR_EMPLOYERS, FAIR_POSTS = 1230, 3050
ONLINE_FAIRS, ONLINE_INTENTIONS = 36, 925
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


def seed_jobs(core) -> None:
    if JobFair.objects.filter(name=FAIR_NAME).exists():
        return
    stations = list(Station.objects.filter(county=QINSHUI, status=StationStatus.OPERATING).order_by("code"))
    if not stations:
        return
    rng = random.Random(29)
    today = timezone.localdate()
    checker = core.users.get("qinshui")
    MinimumWage.objects.get_or_create(
        region_id=QINSHUI, valid_from=dt.date(2023, 10, 1), defaults={"monthly": Decimal("1780.00")}
    )
    main = stations[0]
    vacancies = []
    for serial, (title, occupation, posts, pay, basis, estimate, employer) in enumerate(NOTICE, start=1):
        vacancies.append(
            _vacancy(
                main,
                serial,
                employer,
                title,
                occupation,
                posts,
                pay,
                basis,
                estimate,
                today - dt.timedelta(days=10),
                today + dt.timedelta(days=50),
            )
        )
    serial = 100
    for month in range(12):
        for station in stations:
            if rng.random() < 0.5:
                continue
            title, occupation, pay = rng.choice(YEAR_JOBS)
            serial += 1
            posted = today - dt.timedelta(days=365 - month * 30 - rng.randint(0, 25))
            valid = posted + dt.timedelta(days=rng.choice((30, 45, 60)))
            employer = f"沁水县{station.region.name}{title[:2]}服务有限公司"
            vacancies.append(
                _vacancy(
                    station,
                    serial,
                    employer,
                    title,
                    occupation,
                    rng.randint(1, 8),
                    pay,
                    PayBasis.MONTHLY,
                    None,
                    posted,
                    valid,
                )
            )
    Vacancy.objects.bulk_create(vacancies)
    saved = list(Vacancy.objects.filter(station__in=stations).order_by("pk"))
    VacancyCheck.objects.bulk_create(
        [
            VacancyCheck(
                vacancy=v,
                passed=True,
                minimum_wage=Decimal("1780.00"),
                good_standing=True,
                checked_by=checker,
                checked_at=v.created_at + dt.timedelta(hours=3),
            )
            for v in saved
        ]
    )
    wishes = _wishes(stations, rng, today)
    _referrals(saved, wishes, rng, today, checker)
    _sheets(main, saved, today, checker)
    _fairs(main, rng, today)


def _vacancy(station, serial, employer, title, occupation, posts, pay, basis, estimate, posted, valid) -> Vacancy:
    pay_min, pay_max = Decimal(pay[0]), Decimal(pay[1])
    return Vacancy(
        station=station,
        employer_name=employer,
        employer_credit_code=demo_credit_code(500000 + serial),
        title=title,
        occupation=occupation,
        posts=posts,
        pay_basis=basis,
        pay_min=pay_min,
        pay_max=pay_max,
        monthly_estimate=Decimal(estimate) if estimate else None,
        monthly_high=Decimal(estimate) if estimate else pay_max,
        daily_hours=8 if basis == PayBasis.MONTHLY else 10,
        town_id=station.region_id,
        latitude=station.latitude,
        longitude=station.longitude,
        requirements="身体健康，吃苦耐劳，有相关经验者优先" if basis == PayBasis.MONTHLY else "有电动车，会用智能手机",
        contact=f"{SURNAMES[serial % len(SURNAMES)]}经理",
        contact_phone=f"0356-70{serial % 100000:05d}",
        valid_until=valid,
        status=VacancyStatus.PUBLISHED,
        created_at=_aware(posted),
    )


def _wishes(stations, rng, today) -> list[JobWish]:
    occupations = [o for _t, o, *_ in NOTICE] + [o for _t, o, _p in YEAR_JOBS]
    rows = []
    for n in range(360):
        station = stations[n % len(stations)]
        filed = today - dt.timedelta(days=rng.randint(0, 360))
        rows.append(
            JobWish(
                station=station,
                name=f"{SURNAMES[n % len(SURNAMES)]}{'明华强芳军丽伟静'[n % 8]}",
                occupation=rng.choice(occupations),
                pay_expected=Decimal(rng.choice((3000, 3500, 4000, 4500, 5000, 6000))),
                max_daily_hours=rng.choice((8, 8, 10, 12)),
                skills=rng.choice(("", "C1 驾照", "电动车", "健康证", "叉车证")),
                mobile=f"139{n:08d}",
                consent=True,
                latitude=station.latitude,
                longitude=station.longitude,
                source=WishSource.QUESTIONNAIRE if n % 3 else WishSource.PHONE,
                valid_until=filed + dt.timedelta(days=90),
                created_at=_aware(filed),
            )
        )
    JobWish.objects.bulk_create(rows)
    return list(JobWish.objects.filter(station__in=stations).order_by("pk"))


def _referrals(vacancies, wishes, rng, today, checker) -> None:
    by_occupation: dict[str, list[Vacancy]] = {}
    for vacancy in vacancies:
        by_occupation.setdefault(vacancy.occupation, []).append(vacancy)
    referrals, filled, placed = [], {}, []
    for wish in wishes:
        candidates = by_occupation.get(wish.occupation)
        if not candidates or rng.random() < 0.4:
            continue
        vacancy = rng.choice(candidates)
        referred = max(wish.created_at.date(), vacancy.created_at.date())
        if referred > today:
            continue
        outcome = rng.choice((Outcome.HIRED, Outcome.HIRED, Outcome.NOT_HIRED, Outcome.NO_SHOW, Outcome.PENDING))
        if outcome == Outcome.HIRED and filled.get(vacancy.pk, 0) >= vacancy.posts:
            outcome = Outcome.NOT_HIRED
        decided = outcome != Outcome.PENDING
        referrals.append(
            Referral(
                vacancy=vacancy,
                wish=wish,
                referred_on=referred,
                referred_by=checker,
                interview_on=referred + dt.timedelta(days=2) if outcome != Outcome.NO_SHOW else None,
                outcome=outcome,
                outcome_on=min(referred + dt.timedelta(days=5), today) if decided else None,
            )
        )
        if outcome == Outcome.HIRED:
            filled[vacancy.pk] = filled.get(vacancy.pk, 0) + 1
            placed.append(wish.pk)
    Referral.objects.bulk_create(referrals)
    for pk, count in filled.items():
        Vacancy.objects.filter(pk=pk).update(filled_posts=count)
    JobWish.objects.filter(pk__in=placed).update(status=WishStatus.PLACED)


def _sheets(main, vacancies, today, user) -> None:
    at_main = [v for v in vacancies if v.station_id == main.pk]
    sheets = []
    for issue, editions in enumerate(SHEET_EDITIONS, start=1):
        printed = max(today.replace(month=1, day=1), today - dt.timedelta(days=(10 - issue) * 30))
        for edition in range(1, editions + 1):
            sheets.append(
                JobSheet(
                    station=main,
                    year=today.year,
                    issue=issue,
                    edition=edition,
                    size="a4" if edition == 1 else "poster",
                    printed_at=_aware(printed),
                    printed_by=user,
                )
            )
    JobSheet.objects.bulk_create(sheets)
    last = JobSheet.objects.filter(station=main, year=today.year).order_by("-issue", "-edition").first()
    last.vacancies.set([v for v in at_main if v.valid_until >= today])


def _fairs(main, rng, today) -> None:
    fair = JobFair.objects.create(
        name=FAIR_NAME, kind=FairKind.NEW_FORMS, region_id=QINSHUI, station=main, held_on=today - dt.timedelta(days=60)
    )
    posts = [FAIR_POSTS // FAIR_EMPLOYERS] * FAIR_EMPLOYERS
    for i in range(FAIR_POSTS - sum(posts)):
        posts[i] += 1
    FairEmployer.objects.bulk_create(
        [FairEmployer(fair=fair, employer_name=f"参会企业{i + 1:04d}", posts=p) for i, p in enumerate(posts)]
    )
    FairSignup.objects.bulk_create(
        [FairSignup(fair=fair, checked_in=i < 1800, intention=i < 860, hired=i < 310) for i in range(2100)]
    )
    online = JobFair.objects.bulk_create(
        [
            JobFair(
                name=f"“工桥通业”线上招聘会第{n}场",
                kind=FairKind.GENERAL,
                region_id=QINSHUI,
                online=True,
                held_on=today - dt.timedelta(days=7 * (ONLINE_FAIRS - n) + 3),
            )
            for n in range(1, ONLINE_FAIRS + 1)
        ]
    )
    signups = []
    for index in range(ONLINE_INTENTIONS):
        signups.append(
            FairSignup(fair=online[index % ONLINE_FAIRS], checked_in=True, intention=True, hired=index % 4 == 0)
        )
    FairSignup.objects.bulk_create(signups)
