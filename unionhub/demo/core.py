"""Demo data for the core: 沁水县 and its neighbours, union organisations and one user per role.

Idempotent: every object is found by its natural key and updated in place, so ``seed_demo`` can run on every
``make run``. Later apps add their own ``demo.py`` and the command calls them in order."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from unionhub.models.regions import OrganizationKind, Region, Role, UnionOrganization, UserScope
from unionhub.roles import GROUP_NAMES
from unionhub.services.regions import regions_load
from unionhub.validators import credit_code_check_char

DEMO_PASSWORD = "unionhub-demo-2026"
QINSHUI = "140521"
YANGCHENG = "140522"
JINCHENG = "1405"


def demo_credit_code(serial: int, region: str = QINSHUI) -> str:
    base = f"91{region}MA0{serial:06d}"[:17]
    return base + credit_code_check_char(base)


# name, kind, town code, employer, chair
QINSHUI_UNIONS = [
    ("沁水县嘉峰煤业有限公司工会", OrganizationKind.GRASSROOTS, "140521104", "沁水县嘉峰煤业有限公司", "李建国"),
    ("沁水县端氏酒业有限公司工会", OrganizationKind.GRASSROOTS, "140521103", "沁水县端氏酒业有限公司", "王秀兰"),
    ("沁水县龙港物流园区工会", OrganizationKind.GRASSROOTS, "140521100", "沁水县龙港物流园区管理有限公司", "赵志刚"),
    (
        "沁水县郑庄煤层气开发有限公司工会",
        OrganizationKind.GRASSROOTS,
        "140521102",
        "沁水县郑庄煤层气开发有限公司",
        "张海涛",
    ),
    (
        "沁水县中村农产品加工有限公司工会",
        OrganizationKind.GRASSROOTS,
        "140521101",
        "沁水县中村农产品加工有限公司",
        "刘红梅",
    ),
    (
        "沁水县城市环卫服务有限公司工会",
        OrganizationKind.GRASSROOTS,
        "140521100",
        "沁水县城市环卫服务有限公司",
        "陈卫东",
    ),
    ("沁水县人民医院工会", OrganizationKind.GRASSROOTS, "140521100", "沁水县人民医院", "杨静"),
    ("沁水县郑村建材有限公司工会", OrganizationKind.GRASSROOTS, "140521105", "沁水县郑村建材有限公司", "孙永强"),
    ("沁水县柿庄新能源有限公司工会", OrganizationKind.GRASSROOTS, "140521106", "沁水县柿庄新能源有限公司", "周丽"),
    ("沁水县顺达货运有限公司工会", OrganizationKind.GRASSROOTS, "140521100", "沁水县顺达货运有限公司", "吴国庆"),
]
QINSHUI_INDUSTRY = [
    ("沁水县快递外卖行业工会联合会", "140521100", "马晓东"),
    ("沁水县货车司机工会联合会", "140521100", "郭伟"),
]

# username, name, role, region code (None: a station manager, scoped by the stations they run), superuser
DEMO_USERS = [
    ("admin", "系统管理员", None, None, True),
    ("qinshui", "王丽", Role.COUNTY_STAFF, QINSHUI, False),
    ("yangcheng", "刘强", Role.COUNTY_STAFF, YANGCHENG, False),
    ("jincheng", "张敏", Role.REGIONAL_STAFF, JINCHENG, False),
    ("jiafeng", "李明", Role.STATION_MANAGER, None, False),
    ("inspector", "赵刚", Role.INSPECTOR, QINSHUI, False),
]


@dataclass
class CoreDemo:
    county_federation: UnionOrganization
    holding_pool: UnionOrganization
    unions: list[UnionOrganization]
    users: dict


def upsert(model, *, defaults: dict, **lookup):
    """``update_or_create`` that writes only what differs: a second demo run saves nothing, so it adds no
    history rows (``update_or_create`` saves, and so records history, every time). Returns (obj, created)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, defaults[name])
    if changed:
        obj.save()
    return obj, False


def _org(name: str, region: str, **fields) -> UnionOrganization:
    org, _ = upsert(UnionOrganization, region_id=region, name=name, defaults=fields)
    return org


def seed_core() -> CoreDemo:
    regions_load()
    city = _org("晋城市总工会", JINCHENG, kind=OrganizationKind.CITY_FEDERATION)
    county = _org("沁水县总工会", QINSHUI, kind=OrganizationKind.COUNTY_FEDERATION, parent=city, chair="陈志远")
    yangcheng = _org("阳城县总工会", YANGCHENG, kind=OrganizationKind.COUNTY_FEDERATION, parent=city)
    pool = _org(
        "沁水县总工会会员周转库", QINSHUI, kind=OrganizationKind.GRASSROOTS, parent=county, is_holding_pool=True
    )
    _org("阳城县总工会会员周转库", YANGCHENG, kind=OrganizationKind.GRASSROOTS, parent=yangcheng, is_holding_pool=True)
    unions = []
    for name, town, chair in QINSHUI_INDUSTRY:
        unions.append(_org(name, town, kind=OrganizationKind.INDUSTRY_FEDERATION, parent=county, chair=chair))
    for serial, (name, kind, town, employer, chair) in enumerate(QINSHUI_UNIONS, start=1):
        unions.append(
            _org(
                name,
                town,
                kind=kind,
                parent=county,
                employer=employer,
                chair=chair,
                credit_code=demo_credit_code(serial),
            )
        )
    _org(
        "阳城县润城陶瓷有限公司工会",
        "140522102",
        kind=OrganizationKind.GRASSROOTS,
        parent=yangcheng,
        employer="阳城县润城陶瓷有限公司",
        credit_code=demo_credit_code(1, YANGCHENG),
    )
    return CoreDemo(county_federation=county, holding_pool=pool, unions=unions, users=seed_users())


def seed_users() -> dict:
    User = get_user_model()
    users = {}
    for username, full_name, role, region, superuser in DEMO_USERS:
        user, created = upsert(
            User, username=username, defaults={"first_name": full_name, "is_staff": True, "is_superuser": superuser}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role:
            user.groups.set([Group.objects.get(name=GROUP_NAMES[role])])
        if region:
            upsert(UserScope, user=user, defaults={"region": Region.objects.get(code=region)})
        users[username] = user
    return users
