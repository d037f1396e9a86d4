"""Demo stations for 沁水县: every kind, believable facilities and managers, a year of activities and visitor
counts, coverage targets from the Shanxi plan, and a couple of open rectification notices. Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from stations.choices import LiuYou, OperatingModel, StationKind, StationStatus, TeamKind
from stations.data.catalogue import seed_catalogues
from stations.models import (
    Activity,
    ActivityKind,
    CoverageTarget,
    Facility,
    Funding,
    OpeningHours,
    Rectification,
    Service,
    ServiceTeam,
    Station,
    StatusChange,
    VisitorCount,
)
from stations.services.registry import station_refresh
from unionhub.demo.core import upsert
from unionhub.models.regions import UnionOrganization

L, R, W = StationKind.LABOUR_RELATIONS, StationKind.REST_STATION, StationKind.WORKSHOP
BASIC = {R: ["tables_chairs", "microwave", "water", "air_conditioning", "toilet", "first_aid"]}
BASIC[W] = ["tables_chairs", "microwave", "water", "folding_beds", "massager"]
EXTRAS = ["wifi", "phone_charging", "ebike_charging", "bookshelf", "chess_cards", "refrigerator"]

# code, name, kind, town, address, lat, lng, area, 24h, status, host union name, operating model
STATIONS = [
    (
        "140521104-L-001",
        "嘉峰镇劳动关系公共服务站",
        L,
        "140521104",
        "嘉峰镇嘉峰村文化中心二楼",
        "35.7742",
        "112.4387",
        "120",
        False,
        StationStatus.OPERATING,
        None,
        OperatingModel.SELF_RUN,
    ),
    (
        "140521100-L-001",
        "龙港镇劳动关系公共服务站",
        L,
        "140521100",
        "龙港镇沁河东路县职工服务中心一楼",
        "35.6921",
        "112.1862",
        "160",
        False,
        StationStatus.OPERATING,
        None,
        OperatingModel.SELF_RUN,
    ),
    (
        "140521100-R-001",
        "沁水县总工会龙港镇工会驿站",
        R,
        "140521100",
        "龙港镇新建街与梅河路交叉口",
        "35.6898",
        "112.1905",
        "60",
        True,
        StationStatus.OPERATING,
        None,
        OperatingModel.COMMISSIONED,
    ),
    (
        "140521100-R-002",
        "龙港镇环卫工人爱心驿站",
        R,
        "140521100",
        "龙港镇杏园社区东门",
        "35.6955",
        "112.1811",
        "35",
        False,
        StationStatus.OPERATING,
        "沁水县城市环卫服务有限公司工会",
        OperatingModel.INCUBATED,
    ),
    (
        "140521102-R-001",
        "郑庄镇快递外卖骑手驿站",
        R,
        "140521102",
        "郑庄镇商贸街18号",
        "35.7396",
        "112.3401",
        "40",
        True,
        StationStatus.OPERATING,
        "沁水县快递外卖行业工会联合会",
        OperatingModel.TENDERED,
    ),
    (
        "140521103-R-001",
        "端氏镇货车司机之家",
        R,
        "140521103",
        "端氏镇晋阳高速端氏出口加油站旁",
        "35.7612",
        "112.4908",
        "80",
        True,
        StationStatus.OPERATING,
        "沁水县货车司机工会联合会",
        OperatingModel.INCUBATED,
    ),
    (
        "140521104-R-001",
        "嘉峰镇工会驿站",
        R,
        "140521104",
        "嘉峰镇政府西侧便民服务大厅",
        "35.7768",
        "112.4352",
        "45",
        False,
        StationStatus.OPERATING,
        None,
        OperatingModel.SELF_RUN,
    ),
    (
        "140521106-R-001",
        "柿庄镇工会驿站",
        R,
        "140521106",
        "柿庄镇柿庄村村委会旁",
        "35.8532",
        "112.5311",
        "30",
        False,
        StationStatus.RECTIFYING,
        None,
        OperatingModel.SELF_RUN,
    ),
    (
        "140521101-R-001",
        "中村镇工会驿站",
        R,
        "140521101",
        "中村镇中村村集贸市场北",
        "35.6012",
        "112.0351",
        "40",
        False,
        StationStatus.BUILDING,
        None,
        OperatingModel.SELF_RUN,
    ),
    (
        "140521105-R-001",
        "郑村镇工会驿站",
        R,
        "140521105",
        "郑村镇郑村村",
        "35.7270",
        "112.2705",
        "30",
        False,
        StationStatus.PLANNED,
        None,
        OperatingModel.SELF_RUN,
    ),
    (
        "140521104-W-001",
        "嘉峰煤业综采车间工间活动站",
        W,
        "140521104",
        "嘉峰煤业有限公司综采车间东侧",
        "35.7801",
        "112.4470",
        "48",
        False,
        StationStatus.OPERATING,
        "沁水县嘉峰煤业有限公司工会",
        OperatingModel.SELF_RUN,
    ),
    (
        "140521103-W-001",
        "端氏酒业灌装车间工间活动站",
        W,
        "140521103",
        "端氏酒业有限公司灌装车间二层",
        "35.7575",
        "112.4822",
        "26",
        False,
        StationStatus.OPERATING,
        "沁水县端氏酒业有限公司工会",
        OperatingModel.SELF_RUN,
    ),
    (
        "140522100-R-001",
        "阳城县凤城镇工会驿站",
        R,
        "140522100",
        "凤城镇凤鸣路12号",
        "35.4862",
        "112.4151",
        "50",
        True,
        StationStatus.OPERATING,
        None,
        OperatingModel.SELF_RUN,
    ),
]
SERVICES = {
    L: ["legal_consultation", "mediation", "rights", "membership"],
    R: ["job_postings", "book_lending", "umbrella_lending", "film_night", "membership"],
    W: ["book_lending", "counselling"],
}


def seed(core) -> None:
    if not ActivityKind.objects.filter(region__isnull=True).exists():
        # The shipped catalogues come from a data migration; a database emptied since (a flush) has lost them.
        seed_catalogues(Facility, Service, ActivityKind)
    facilities = {f.code: f for f in Facility.objects.filter(region__isnull=True)}
    services = {s.code: s for s in Service.objects.filter(region__isnull=True)}
    manager = core.users["jiafeng"]
    rng = random.Random(140521)
    today = timezone.localdate()
    for code, name, kind, town, address, lat, lng, area, h24, status, host, model in STATIONS:
        host_org = UnionOrganization.objects.filter(name=host).first() if host else None
        plaqued = status in (StationStatus.OPERATING, StationStatus.RECTIFYING)
        # Each station draws from its own generator, so its phone and facilities are the same on every run
        # (one shared generator drifted as soon as a run skipped the details of stations already made).
        own = random.Random(f"140521-{code}")
        station, created = upsert(
            Station,
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "region_id": town,
                "address": address,
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
                "area_m2": Decimal(area),
                "open_24h": h24,
                "host": host_org,
                "operating_model": model,
                "status": status,
                "phone": "0356-70%05d" % own.randint(10000, 99999),
                "liuyou": list(LiuYou.values) if kind == L else [],
                "plaque_number": f"QSGH-{code[-5:]}" if plaqued else "",
                "plaque_date": dt.date(2025, 5, 1) if plaqued else None,
            },
        )
        wanted = BASIC.get(kind, []) + own.sample(EXTRAS, 3)
        if code == "140521106-R-001":
            wanted = [c for c in wanted if c != "first_aid"]  # the rectifying station lacks its first-aid kit
        station.facilities.set([facilities[c] for c in wanted if c in facilities])
        station.services.set([services[c] for c in SERVICES.get(kind, []) if c in services])
        if town.startswith("140521104"):
            station.managers.add(manager)
        if not created:
            station_refresh(station=station)
            continue
        _seed_station_details(station, rng, today)
        station_refresh(station=station)
    _seed_targets()


def _seed_station_details(station: Station, rng: random.Random, today: dt.date) -> None:
    if not station.open_24h:
        OpeningHours.objects.bulk_create(
            OpeningHours(station=station, weekday=d, opens=dt.time(8, 30), closes=dt.time(20, 0)) for d in range(7)
        )
    if station.kind == StationKind.LABOUR_RELATIONS:
        leaders = {
            TeamKind.MEDIATION: "王建华",
            TeamKind.LEGAL: "李娜",
            TeamKind.BARGAINING: "赵强",
            TeamKind.HEALTH: "刘芳",
            TeamKind.LAWYERS: "张律师",
        }
        for kind, leader in leaders.items():
            ServiceTeam.objects.create(
                station=station, kind=kind, leader=leader, members=f"{leader} 队长\n陈明 队员\n杨帆 队员"
            )
    if station.kind == StationKind.LABOUR_RELATIONS and station.region_id == "140521104":
        station.description = "2025 年成功调解一起工伤赔偿纠纷，帮助职工获得赔偿 130 万元。"
        station.save(update_fields=["description"])
    Funding.objects.bulk_create(
        [
            Funding(station=station, source="county", year=2025, amount=Decimal(rng.choice([20000, 30000, 50000]))),
            Funding(station=station, source="city", year=2025, amount=Decimal(rng.choice([10000, 20000]))),
        ]
        + (
            [Funding(station=station, source="enterprise", year=2025, amount=Decimal("40000"))]
            if station.host_id
            else []
        )
    )
    path = {
        StationStatus.PLANNED: [],
        StationStatus.BUILDING: [StationStatus.BUILDING],
        StationStatus.OPERATING: [StationStatus.BUILDING, StationStatus.OPERATING],
        StationStatus.RECTIFYING: [StationStatus.BUILDING, StationStatus.OPERATING, StationStatus.RECTIFYING],
    }[station.status]
    previous, date = StationStatus.PLANNED, dt.date(2025, 3, 1)
    reasons = {
        StationStatus.BUILDING: "选址完成，开工建设",
        StationStatus.OPERATING: "验收合格，投入运营",
        StationStatus.RECTIFYING: "巡查发现问题，下发整改通知",
    }
    for step in path:
        StatusChange.objects.create(
            station=station, from_status=previous, to_status=step, date=date, reason=reasons[step]
        )
        Station.objects.filter(pk=station.pk).update(status_since=date)
        previous, date = step, date + relativedelta(months=2)
    if station.status not in (StationStatus.OPERATING, StationStatus.RECTIFYING):
        return
    kinds = list(ActivityKind.objects.filter(region__isnull=True).exclude(code="other"))
    start = today - relativedelta(months=12)
    quiet = station.code == "140521103-W-001"  # one station with no activity lately, to show the flag
    activities, visits = [], []
    day = start
    while day < today:
        if rng.random() < 0.09 and not (quiet and day > today - relativedelta(months=4)):
            kind = rng.choice(kinds)
            activities.append(
                Activity(
                    station=station,
                    kind=kind,
                    date=day,
                    title=f"{kind.name}活动",
                    participants=rng.randint(12, 80),
                    suggestions=rng.randint(0, 4),
                )
            )
        base = 60 if station.open_24h else 30
        visits.append(
            VisitorCount(
                station=station,
                date=day,
                visitors=rng.randint(base // 2, base * 2),
                night_visitors=rng.randint(2, 12) if station.open_24h else 0,
            )
        )
        day += dt.timedelta(days=1)
    Activity.objects.bulk_create(activities)
    VisitorCount.objects.bulk_create(visits, ignore_conflicts=True)
    if station.status == StationStatus.RECTIFYING:
        Rectification.objects.create(
            station=station,
            issued_on=today - dt.timedelta(days=45),
            findings="急救药箱缺失，饮水机未定期消毒。",
            deadline=today - dt.timedelta(days=15),
        )
    if station.code == "140521100-R-002":
        Rectification.objects.create(
            station=station,
            issued_on=today - dt.timedelta(days=10),
            findings="开放时间未按公示执行。",
            deadline=today + dt.timedelta(days=20),
        )


def _seed_targets() -> None:
    targets = [
        ("140521", 2025, L, 1, "山西：2025 年每个县至少建成 1 个"),
        ("140521", 2027, L, 3, "山西：2027 年底每个县至少 3 个"),
        ("140521", 2026, R, 8, "县总工会年度计划"),
        ("140522", 2025, L, 1, "山西：2025 年每个县至少建成 1 个"),
        ("140522", 2027, L, 3, "山西：2027 年底每个县至少 3 个"),
        ("14", 2027, L, 400, "山西：2027 年底全省不少于 400 个"),
    ]
    for region, year, kind, target, note in targets:
        upsert(CoverageTarget, region_id=region, year=year, kind=kind, defaults={"target": target, "note": note})
