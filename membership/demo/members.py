"""Demo members and applications for 沁水县 (and a few for 阳城县).

A register of a few thousand members - imported rosters, online applications, some entered by staff; some in
the holding pool, some lapsed - with gap-free card numbers per county and year, and a month of decided
online applications for the dashboard figures. Idempotent: the register is created once (bulk inserts, with
history rows); the queue of pending applications is replaced on every run, so that it always shows
applications of various ages, some past the 30-minute promise."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from membership.choices import (
    NEW_EMPLOYMENT_FORMS,
    ApplicationStatus,
    Channel,
    MemberSource,
    MemberStatus,
    Occupation,
)
from membership.models import CardCounter, Member, MembershipApplication
from membership.services.members import card_number_format
from stations.choices import StationStatus
from stations.models import Station
from unionhub.models.regions import OrganizationKind, Region, UnionOrganization
from unionhub.validators import resident_id_birth_date, resident_id_check_char, resident_id_gender

QINSHUI, YANGCHENG = "140521", "140522"
MEMBERS = {QINSHUI: 3000, YANGCHENG: 400}
DECIDED_DAYS = 30
DEMO_PREFIX = "DEMO"  # demo references; real ones never contain 0 or 1, so they cannot collide
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国红梅志刚海燕晓东春梅建华玉兰文斌"
OCCUPATIONS = [
    (Occupation.DELIVERY_RIDER, 20),
    (Occupation.COURIER, 12),
    (Occupation.TRUCK_DRIVER, 15),
    (Occupation.RIDE_HAILING_DRIVER, 8),
    (Occupation.HOME_SERVICE, 3),
    (Occupation.OTHER_PLATFORM, 2),
    (Occupation.EMPLOYEE, 25),
    (Occupation.SANITATION, 5),
    (Occupation.CONSTRUCTION, 5),
    (Occupation.MINER, 5),
]
PLATFORMS = {
    Occupation.DELIVERY_RIDER: ["美团外卖", "饿了么"],
    Occupation.COURIER: ["中通快递", "顺丰速运", "京东物流", "邮政EMS"],
    Occupation.TRUCK_DRIVER: ["满帮货运平台", "货拉拉", "个体"],
    Occupation.RIDE_HAILING_DRIVER: ["滴滴出行", "T3出行"],
    Occupation.HOME_SERVICE: ["58到家", "天鹅到家"],
    Occupation.OTHER_PLATFORM: ["抖音电商", "闪送"],
}
INDUSTRY_FOR = {
    Occupation.DELIVERY_RIDER: "快递外卖",
    Occupation.COURIER: "快递外卖",
    Occupation.TRUCK_DRIVER: "货车司机",
}


class _People:
    """Deterministic names, ID numbers and mobiles, never repeating an ID number."""

    def __init__(self, rng: random.Random, counties: list[str], taken: set[str]):
        self.rng, self.counties, self.taken = rng, counties, taken

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def resident_id(self, home: str) -> str:
        while True:
            county = home if self.rng.random() < 0.7 else self.rng.choice(self.counties)
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=self.rng.randint(0, 39 * 365))
            base = f"{county}{birth:%Y%m%d}{self.rng.randint(0, 999):03d}"
            code = base + resident_id_check_char(base)
            if code not in self.taken:
                self.taken.add(code)
                return code

    def mobile(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randint(0, 999999999):09d}"

    def occupation(self) -> str:
        values, weights = zip(*OCCUPATIONS, strict=True)
        return self.rng.choices(values, weights)[0]


def _unions(county: str) -> tuple[UnionOrganization | None, list[UnionOrganization], list[UnionOrganization]]:
    """The county's holding pool, grassroots unions and industry federations."""
    unions = list(UnionOrganization.objects.filter(region__code__startswith=county).order_by("pk"))
    pool = next((u for u in unions if u.is_holding_pool), None)
    grassroots = [u for u in unions if u.kind == OrganizationKind.GRASSROOTS and not u.is_holding_pool]
    industry = [u for u in unions if u.kind == OrganizationKind.INDUSTRY_FEDERATION]
    return pool, grassroots, industry


def _union_for(rng, occupation, pool, grassroots, industry):
    if occupation in NEW_EMPLOYMENT_FORMS:
        federation = next((u for u in industry if INDUSTRY_FOR.get(occupation, "—") in u.name), None)
        if federation and rng.random() < 0.75:
            return federation
        return pool if pool and rng.random() < 0.6 else rng.choice(grassroots or [pool])
    return rng.choice(grassroots or [pool])


def _employer(rng, occupation, union) -> str:
    if occupation in PLATFORMS:
        return rng.choice(PLATFORMS[occupation])
    return union.employer or union.name.removesuffix("工会")


def _person(people, county, union, occupation, **fields) -> dict:
    code = people.resident_id(county)
    return {
        "name": people.name(),
        "resident_id": code,
        "gender": resident_id_gender(code),
        "birth_date": resident_id_birth_date(code),
        "mobile": people.mobile(),
        "employer": _employer(people.rng, occupation, union),
        "occupation": occupation,
        **fields,
    }


def seed(core) -> None:
    rng = random.Random(140521)
    counties = list(Region.objects.filter(code__startswith="14", level="county").values_list("code", flat=True))
    taken = set(Member.objects.values_list("resident_id", flat=True))
    people = _People(rng, counties or [QINSHUI], taken)
    now = timezone.now()
    if not MembershipApplication.objects.filter(reference__startswith=DEMO_PREFIX, status__in=["approved"]).exists():
        _seed_register(rng, people, now)
    _seed_queue(rng, people, now)


def _seed_register(rng, people, now) -> None:
    """Members of both counties plus a month of decided online applications, in a few bulk inserts."""
    today = timezone.localdate()
    members: list[Member] = []
    decided: list[tuple[MembershipApplication, Member]] = []
    serial = 0
    for county, count in MEMBERS.items():
        pool, grassroots, industry = _unions(county)
        if pool is None and not grassroots:
            continue
        stations = list(Station.objects.filter(region__code__startswith=county, status=StationStatus.OPERATING))
        online_days = DECIDED_DAYS if county == QINSHUI else 10
        online = []
        for days_ago in range(online_days):
            day = today - dt.timedelta(days=days_ago)
            for _ in range(rng.randint(8, 22) if county == QINSHUI else rng.randint(1, 4)):
                online.append(day)
        for n in range(count):
            occupation = people.occupation()
            union = _union_for(rng, occupation, pool, grassroots, industry)
            if n < len(online):
                day = online[n]
                submitted = timezone.make_aware(
                    dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randint(0, 59)))
                )
                wait = dt.timedelta(minutes=min(rng.lognormvariate(2.9, 0.7), 600))
                if submitted + wait > now:
                    continue
                member = Member(
                    union=union, join_date=timezone.localtime(submitted + wait).date(), source=MemberSource.ONLINE
                )
                fields = _person(people, county, union, occupation)
                for key, value in fields.items():
                    setattr(member, key, value)
                serial += 1
                station = rng.choice(stations) if stations and rng.random() < 0.6 else None
                application = MembershipApplication(
                    reference=f"{DEMO_PREFIX}{serial:04d}",
                    union=union if not union.is_holding_pool else None,
                    county_id=county,
                    channel=Channel.STATION_QR if station else Channel.DIRECT,
                    source_station=station,
                    consent_version="2026-01",
                    consented_at=submitted,
                    submitted_at=submitted,
                    status=ApplicationStatus.APPROVED,
                    decided_at=submitted + wait,
                    notified_at=submitted + wait,
                    **fields,
                )
                decided.append((application, member))
            else:
                joined = today - dt.timedelta(days=rng.randint(40, 10 * 365))
                status = rng.choices([MemberStatus.ACTIVE, MemberStatus.LAPSED, MemberStatus.TRANSFERRED], [92, 5, 3])[
                    0
                ]
                source = rng.choices([MemberSource.IMPORT, MemberSource.MANUAL, MemberSource.ONLINE], [80, 8, 12])[0]
                member = Member(union=union, join_date=joined, status=status, source=source)
                for key, value in _person(people, county, union, occupation).items():
                    setattr(member, key, value)
            members.append(member)
    # A few rejections, so that the status page and the figures show them too: no member for those.
    rejected = {id(member) for _, member in rng.sample(decided, k=min(12, len(decided)))}
    members = [m for m in members if id(m) not in rejected]
    _number_cards(members)
    for member in members:  # bulk_create does not call save()
        member.set_county()
    bulk_create_with_history(members, Member, batch_size=1000)
    by_resident_id = dict(
        Member.objects.filter(resident_id__in=[m.resident_id for _, m in decided]).values_list("resident_id", "pk")
    )
    for application, member in decided:
        if id(member) in rejected:
            application.status = ApplicationStatus.REJECTED
            application.rejection_reason = rng.choice(
                ["姓名与身份证号码不符，请核对后重新申请。", "请到就近工会驿站现场核验身份后再申请。"]
            )
        else:
            application.member_id = by_resident_id[member.resident_id]
    MembershipApplication.objects.bulk_create([a for a, _ in decided], batch_size=1000)


def _number_cards(members: list[Member]) -> None:
    """Card numbers in order of joining, continuing each county's and year's counter."""
    groups: dict[tuple[str, int], list[Member]] = defaultdict(list)
    for member in members:
        groups[(member.union.region_id[:6], member.join_date.year)].append(member)
    existing = {(c.county_id, c.year): c.last for c in CardCounter.objects.filter(county_id__in={k[0] for k in groups})}
    counters = []
    for (county, year), group in sorted(groups.items()):
        group.sort(key=lambda m: m.join_date)
        last = existing.get((county, year), 0)
        for member in group:
            last += 1
            member.card_number = card_number_format(county_code=county, year=year, sequence=last)
        counters.append(CardCounter(county_id=county, year=year, last=last))
    CardCounter.objects.bulk_create(
        counters, update_conflicts=True, unique_fields=["county", "year"], update_fields=["last"]
    )


def _seed_queue(rng, people, now) -> None:
    """Replace the demo's pending applications by a fresh queue: minutes to days old, a few past the promise,
    one from an existing member, one duplicate, some with no union."""
    MembershipApplication.objects.filter(reference__startswith=DEMO_PREFIX, status=ApplicationStatus.PENDING).delete()
    start = (
        MembershipApplication.objects.filter(reference__startswith=DEMO_PREFIX).aggregate(m=Max("reference"))["m"]
        or DEMO_PREFIX + "0000"
    )
    serial = max(int(start[len(DEMO_PREFIX) :]), 5000)
    pool, grassroots, industry = _unions(QINSHUI)
    if pool is None:
        return
    stations = list(Station.objects.filter(region__code__startswith=QINSHUI, status=StationStatus.OPERATING))
    ages = [2, 6, 11, 18, 24, 29, 33, 41, 55, 75, 110, 180, 300, 26 * 60, 50 * 60, 3 * 24 * 60]
    existing_member = Member.objects.filter(union__region__code__startswith=QINSHUI).order_by("pk").first()
    queue = []
    for n, minutes in enumerate(ages):
        occupation = people.occupation()
        union = _union_for(rng, occupation, pool, grassroots, industry)
        fields = _person(people, QINSHUI, union, occupation)
        if n == 3 and existing_member:  # an existing member applies again: the pre-check says so
            fields |= {"name": existing_member.name, "resident_id": existing_member.resident_id}
            fields |= {"gender": existing_member.gender, "birth_date": existing_member.birth_date}
        if n == 9 and queue:  # the same person twice
            fields |= {k: getattr(queue[0], k) for k in ("name", "resident_id", "gender", "birth_date", "mobile")}
        station = rng.choice(stations) if stations and n % 3 == 0 else None
        submitted = now - dt.timedelta(minutes=minutes)
        serial += 1
        queue.append(
            MembershipApplication(
                reference=f"{DEMO_PREFIX}{serial:04d}",
                union=None if union.is_holding_pool or n % 4 == 1 else union,
                county_id=QINSHUI,
                channel=Channel.STATION_QR if station else Channel.DIRECT,
                source_station=station,
                event="夏季送清凉流动入会" if n in (5, 6) else "",
                consent_version="2026-01",
                consented_at=submitted,
                submitted_at=submitted,
                **fields,
            )
        )
    MembershipApplication.objects.bulk_create(queue)
