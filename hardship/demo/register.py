"""The demo register of 沁水县: 2,262 households on file (the Guangxi figure, GLOSSARY), all three layers,
written with one bulk insert; and a handful of applications at every step, through the services."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from hardship.models import (
    CountyCriteria,
    Household,
    HouseholdPerson,
    HouseholdStatus,
    Objection,
)
from hardship.services import register
from unionhub.validators import resident_id_check_char

QINSHUI = "140521"
ON_FILE = 2262
FAMILY = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "建国志强秀英桂兰海燕文华国庆丽娟伟明春梅永刚玉兰红霞卫东德胜淑珍小军金凤"
LAYERS = ["deep"] * 5 + ["relative"] * 4 + ["accident"]
CAUSES = ["illness", "illness", "illness", "disability", "schooling", "unemployment", "accident", "other"]


def _rid(index: int, series: int = 6) -> str:
    birth = dt.date(1962, 1, 1) + dt.timedelta(days=index * 7)
    base = f"{QINSHUI}{birth:%Y%m%d}{series}{index % 100:02d}"
    return base + resident_id_check_char(base)


def _name(rng: random.Random) -> str:
    given = rng.randrange(0, len(GIVEN), 2)
    return rng.choice(FAMILY) + GIVEN[given : given + 2]


def seed_criteria() -> None:
    for year in (2025, 2026):
        CountyCriteria.objects.get_or_create(
            county_id=QINSHUI,
            year=year,
            defaults={"minimum_living": Decimal("680.00") if year == 2025 else Decimal("700.00")},
        )


def seed_register(core) -> None:
    """The households on file, filed in December 2024 (so every 2025 cycle pays them); every fifth with a
    child at school (金秋助学)."""
    if Household.objects.filter(county=QINSHUI, resident_id=_rid(0)).exists():
        return
    rng = random.Random(27)
    unions = [u for u in core.unions if u.region_id.startswith(QINSHUI)]
    households = []
    for index in range(ON_FILE):
        layer = LAYERS[index % len(LAYERS)]
        people = 2 + index % 4
        monthly = {"deep": 500, "relative": 850, "accident": 1400}[layer]
        households.append(
            Household(
                union=unions[index % len(unions)],
                county=QINSHUI,
                head_name=_name(rng),
                resident_id=_rid(index),
                mobile=f"139{index:08d}",
                layer=layer,
                cause=CAUSES[index % len(CAUSES)],
                people_count=people,
                annual_income=Decimal(monthly * 12 * people),
                bank_name="沁水县农村商业银行",
                bank_account=f"62218{index:014d}",
                status=HouseholdStatus.ON_FILE,
                applied_on=dt.date(2024, 11, 1),
                filed_on=dt.date(2024, 12, 20),
                recheck_due=dt.date(2025, 12, 20),
            )
        )
    made = Household.objects.bulk_create(households, batch_size=1000)
    if made[0].pk is None:  # a backend that does not return keys
        made = list(Household.objects.filter(county=QINSHUI, status=HouseholdStatus.ON_FILE).order_by("pk"))
    HouseholdPerson.objects.bulk_create(
        [
            HouseholdPerson(
                household=household,
                name=household.head_name[0] + "小" + GIVEN[index % 10],
                relationship="child",
                age=8 + index % 10,
                is_student=True,
                school="沁水县第一中学" if index % 2 else "沁水县实验小学",
            )
            for index, household in enumerate(made)
            if index % 5 == 0
        ],
        batch_size=1000,
    )


PIPELINE = [
    ("孙红梅", "applied"),
    ("马卫东", "visited"),
    ("朱秀英", "reviewed"),
    ("胡志强", "notice"),
    ("郭桂兰", "notice_objection"),
    ("何永刚", "rejected"),
]


def seed_applications(core, user) -> None:
    """Applications at every step, dated from today: one on notice now, one with an objection resolved."""
    union = next(u for u in core.unions if u.region_id.startswith(QINSHUI) and u.kind == "grassroots")
    today = timezone.localdate()
    for offset, (name, stage) in enumerate(PIPELINE):
        rid = _rid(offset, series=8)
        if Household.objects.filter(resident_id=rid).exists():
            continue
        household = register.household_apply(
            household=Household(
                union=union,
                head_name=name,
                resident_id=rid,
                mobile=f"1380000{offset:04d}",
                layer="deep",
                cause="illness",
                people_count=3,
                bank_name="沁水县农村商业银行",
                bank_account=f"6221899000000{offset:04d}",
            ),
            people=[{"name": name[0] + "小华", "relationship": "child", "age": 14, "is_student": True}],
            incomes=[("wages", Decimal("14400.00")), ("allowance", Decimal("2400.00"))],
            user=user,
        )
        if stage == "applied":
            continue
        household = register.household_visit(
            household=household, record="入户走访：家中一人患重病，收入微薄。", user=user
        )
        if stage == "visited":
            continue
        passed = stage != "rejected"
        household = register.household_review(
            household=household,
            passed=passed,
            record="职工代表民主评议，一致同意。" if passed else "评议未通过。",
            user=user,
        )
        if stage in ("reviewed", "rejected"):
            continue
        household = register.household_notice_start(household=household, starts=today - dt.timedelta(days=3), user=user)
        if stage == "notice_objection":
            objection = Objection.objects.create(household=household, content="反映其家属有经营收入。")
            register.objection_resolve(
                objection=objection, resolution="经核实，经营已停业，异议不成立。", upheld=False, user=user
            )
