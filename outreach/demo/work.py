"""The demo county's outreach work: teams and a year of visits, 味来酒业 founded after the third visit with its
first members, events with check-ins at 嘉峰镇's station, a pop-up desk with applications, the projects."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.conf import settings
from django.utils import timezone

from membership.services import application_approve, application_submit
from outreach.choices import Measure, Stage, VisitOutcome
from outreach.models import Employer, Event, JoiningDesk, OutreachTeam, ServiceProject
from outreach.services import checkin_scan, employer_found_union, signup_create, visit_record
from stations.models import ActivityKind, Station
from unionhub.demo.core import QINSHUI, demo_credit_code
from unionhub.models.regions import Region
from unionhub.validators import resident_id_check_char

WEILAI_SERIAL = 279_999
TEAMS = [
    ("建会小分队（一队）", ["140521103", "140521104", "140521105"]),
    ("建会小分队（二队）", ["140521100", "140521106", "140521107"]),
]
SAID = [
    "介绍建会流程和会员权益，老板表示要和股东商量。",
    "与人事负责人座谈，职工对入会有兴趣，担心会费负担。",
    "讲解《工会法》规定，企业同意先推选筹备组。",
    "职工代表座谈，直播销售岗位希望参加免费技能培训。",
]
NEXT = ["两周后回访", "送建会材料", "召开职工座谈会", "联系筹备组推选"]


def _person(rng: random.Random, serial: int) -> tuple[str, str, str]:
    base = f"{QINSHUI}{1975 + serial % 25}0{1 + serial % 9}1{serial % 10}{serial:03d}"[:17]
    return (
        rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["建军", "秀英", "海燕", "志强", "丽娟", "伟", "静", "磊"]),
        base + resident_id_check_char(base),
        f"139{serial:08d}",
    )


def seed_work(core) -> None:
    if OutreachTeam.objects.filter(county_id=QINSHUI).exists():
        return
    rng = random.Random(2022)
    staff = core.users["qinshui"]
    county = Region.objects.get(code=QINSHUI)
    teams = []
    for name, towns in TEAMS:
        team = OutreachTeam.objects.create(name=name, county=county)
        team.towns.set(towns)
        team.members.set([staff])
        teams.append((team, towns))
    year = timezone.localdate().year
    projects = {
        measure: ServiceProject.objects.create(
            year=year, title=title, county=county, owner=owner, target=target, measure=measure, headline=headline
        )
        for title, owner, target, measure, headline in [
            ("建会招“新”：走访100家小微和平台企业", "县总工会组织部", 100, Measure.VISITS, True),
            ("建会招“新”：新建基层工会", "县总工会组织部", 19, Measure.UNIONS, True),
            ("身心舒“新”：100场健康义诊与观影", "嘉峰镇总工会", 100, Measure.EVENTS, True),
            ("交友贴“新”：联谊活动参与人次", "县快递外卖行业工会联合会", 500, Measure.PARTICIPANTS, False),
            ("流动入会窗口：新会员申请", "县总工会", 1000, Measure.APPLICATIONS, True),
        ]
    }
    today = timezone.localdate()
    for team, towns in teams:
        targets = list(Employer.objects.filter(town_id__in=towns, union__isnull=True).order_by("-workers")[:40])
        for index, employer in enumerate(targets):
            outcome = VisitOutcome.WILLING if index % 4 == 0 else VisitOutcome.VISITED
            visit_record(
                employer=employer,
                team=team,
                visited_on=today - dt.timedelta(days=rng.randint(1, 360)),
                visitors="县总工会 王丽、组织部 李强",
                met=rng.choice(["总经理", "人事主管", "职工代表"]),
                said=rng.choice(SAID),
                next_step=rng.choice(NEXT),
                outcome=outcome,
                project=projects[Measure.VISITS],
                user=staff,
            )
    _weilai(core, teams[0][0], projects, rng, staff)
    _events(core, projects, rng, staff)
    _desk(core, projects, rng, staff)


def _weilai(core, team, projects, rng, staff) -> None:
    """味来酒业: three visits, then the union, then its first members (approved applications)."""
    employer = Employer.objects.create(
        credit_code=demo_credit_code(WEILAI_SERIAL),
        name="沁水县味来酒业有限公司",
        town_id="140521103",
        industry="liquor",
        workers=86,
        stage=Stage.NOT_CONTACTED,
    )
    today = timezone.localdate()
    for days, outcome, said in [
        (200, VisitOutcome.VISITED, "第一次走访：老板忙于直播带货，约定下次再谈。"),
        (170, VisitOutcome.VISITED, "第二次走访：与人事座谈，讲解建会好处。"),
        (140, VisitOutcome.WILLING, "第三次走访：企业同意建会，推选筹备组。"),
    ]:
        visit_record(
            employer=employer,
            team=team,
            visited_on=today - dt.timedelta(days=days),
            visitors="建会小分队 王丽",
            met="总经理 陈味来",
            said=said,
            next_step="协助召开会员大会",
            outcome=outcome,
            project=projects[Measure.VISITS],
            user=staff,
        )
    union = employer_found_union(employer=employer, user=staff, chair="陈小红")
    served = [QINSHUI]
    for serial in range(1, 13):
        name, resident_id, mobile = _person(rng, 500 + serial)
        application = application_submit(
            name=name,
            resident_id=resident_id,
            mobile=mobile,
            occupation="employee",
            employer=employer.name,
            union=union,
            consent_version=settings.MEMBERSHIP_PRIVACY_NOTICE_VERSION,
            served_counties=served,
        )
        application_approve(application=application, by=staff)


def _events(core, projects, rng, staff) -> None:
    station = (
        Station.objects.filter(code="140521104-L-001").first()
        or Station.objects.filter(region__code__startswith=QINSHUI).first()
    )
    kinds = {k.code: k for k in ActivityKind.objects.filter(region__isnull=True)}
    now = timezone.now()
    plans = [
        ("周五职工观影夜", "film_night", -7, projects[Measure.EVENTS], 30),
        ("快递外卖小哥义诊", "free_clinic", -3, projects[Measure.EVENTS], 40),
        ("直播销售技能免费培训", "training", -1, projects[Measure.PARTICIPANTS], 50),
        ("夏季送清凉", "summer_cooling", 5, projects[Measure.EVENTS], 0),
    ]
    for serial, (title, kind, days, project, capacity) in enumerate(plans):
        starts = now + dt.timedelta(days=days)
        event = Event.objects.create(
            title=title,
            kind=kinds.get(kind) or kinds["other"],
            station=station,
            region_id=station.region_id if station else "140521104",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            capacity=capacity,
            project=project,
            suggestions=serial + 2,
        )
        if days > 0:
            continue
        # Signed up a moment before it started (sign-up closes when an event ends).
        Event.objects.filter(pk=event.pk).update(ends_at=now + dt.timedelta(hours=1))
        event.refresh_from_db()
        for person in range(12 + serial * 4):
            name, _rid, mobile = _person(rng, 1000 + serial * 100 + person)
            signup = signup_create(event=event, name=name, mobile=mobile, consent=True, is_member=person % 3 == 0)
            if person % 5 != 4:
                checkin_scan(event=event, code=signup.code, scan_id=str(uuid.uuid4()), scanned_at=starts, user=staff)
        Event.objects.filter(pk=event.pk).update(ends_at=starts + dt.timedelta(hours=2))


def _desk(core, projects, rng, staff) -> None:
    now = timezone.now()
    desk = JoiningDesk.objects.create(
        name="夏季送清凉流动入会窗口",
        union=core.county_federation,
        place="龙港镇人民广场",
        starts_at=now - dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=5),
        event=Event.objects.filter(title="夏季送清凉").first(),
        project=projects[Measure.APPLICATIONS],
    )
    JoiningDesk.objects.create(
        name="春季招聘会流动入会窗口",
        union=core.county_federation,
        place="沁水县人才市场",
        starts_at=now - dt.timedelta(days=90),
        ends_at=now - dt.timedelta(days=89),
    )
    occupations = ["delivery_rider"] * 5 + ["courier"] * 3 + ["truck_driver"] * 2 + ["ride_hailing"]
    for serial, occupation in enumerate(occupations):
        name, resident_id, mobile = _person(rng, 2000 + serial)
        application = application_submit(
            name=name,
            resident_id=resident_id,
            mobile=mobile,
            occupation=occupation,
            source_union=core.county_federation,
            event=desk.code,
            county_code=QINSHUI,
            consent_version=settings.MEMBERSHIP_PRIVACY_NOTICE_VERSION,
            served_counties=[QINSHUI],
        )
        if serial % 2 == 0:
            application_approve(application=application, by=staff)
