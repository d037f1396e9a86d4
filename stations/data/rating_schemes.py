"""The default rating schemes, built from the source articles, shipped by a data migration (shared, version 1,
in use). Counties make their own versions in the admin.

* Labour-relations service stations: the Shanxi "六有" standard (platform, teams, rules, funding, standards,
  results), with the five service teams.
* Union rest stations and workshop rest stops: facilities (Haikou's and Shenyang's lists), opening hours
  (Dachuan's move to 24-hour opening, checked against night visitors), services (30+ items in Dachuan; pinned
  on navigation maps in Haikou), activity and use, worker satisfaction (Shenyang rectifies low-satisfaction
  stops) and management (Dachuan's monthly manager training)."""

THRESHOLDS = [60, 70, 80, 88, 95]

# code, name, kinds, [(group, code, name, max points, source, source param, guidance)]
SCHEMES = [
    (
        "liuyou",
        "劳动关系公共服务站“六有”评定标准",
        ["labour"],
        [
            (
                "有平台",
                "platform_site",
                "固定场所和统一标识",
                8,
                "liuyou",
                "platform",
                "有固定服务场所，悬挂统一标识。",
            ),
            ("有平台", "platform_window", "服务窗口与接待", 7, "manual", "", "设接待窗口，公示服务事项和联系方式。"),
            (
                "有队伍",
                "teams",
                "五支服务队伍",
                15,
                "teams",
                "",
                "普法宣传队、劳动关系调解队、集体协商指导队、健康指导队、职工维权律师队，每支 3 分。",
            ),
            ("有队伍", "team_training", "队伍培训", 5, "manual", "", "队伍成员每年至少参加一次业务培训。"),
            ("有制度", "rules", "工作制度上墙", 8, "liuyou", "rules", "调解、接待、值班等制度齐全并上墙。"),
            ("有制度", "ledger", "工作台账", 7, "manual", "", "接待、调解、活动台账完整。"),
            ("有保障", "funding", "经费保障", 10, "funding", "", "本年度或上年度有经费投入记录。"),
            ("有保障", "staffing", "人员保障", 5, "manual", "", "有专人负责日常工作。"),
            ("有标准", "standards", "服务流程标准化", 10, "liuyou", "standards", "服务流程、文书格式统一规范。"),
            ("有成效", "activities", "服务活动开展", 10, "activities", "", "近 12 个月开展活动，每月一次得满分。"),
            ("有成效", "results", "调解维权成效", 5, "manual", "", "成功调解案例、为职工挽回损失等。"),
            ("有成效", "satisfaction", "职工满意度", 10, "satisfaction", "", "职工扫码评价的平均分。"),
        ],
    ),
    (
        "rest-station",
        "工会驿站（户外劳动者服务站点、工间活动站）星级评定标准",
        ["rest", "workshop"],
        [
            (
                "设施",
                "facilities_basic",
                "基本设施齐全",
                20,
                "facilities_basic",
                "",
                "驿站：桌椅、微波炉、冷热饮水、空调、卫生间、急救药箱；工间站：桌椅、折叠床、按摩器、饮水机、微波炉。",
            ),
            (
                "设施",
                "facilities_extra",
                "拓展设施",
                5,
                "facilities_extra",
                "",
                "无线网络、手机和电动车充电、书架等，每项 1 分。",
            ),
            (
                "开放时间",
                "hours",
                "开放时间",
                15,
                "hours",
                "",
                "每周开放 70 小时以上得满分；24 小时开放须有夜间到站记录佐证。",
            ),
            (
                "服务",
                "services",
                "服务项目",
                10,
                "services",
                "",
                "图书借阅、雨伞工具借用、就业信息等，5 项以上得满分。",
            ),
            ("服务", "navigation", "地图导航标注", 5, "manual", "", "在常用导航地图上可搜索到。"),
            ("活动", "activities", "活动开展", 10, "activities", "", "近 12 个月开展活动，每月一次得满分。"),
            ("活动", "visitors", "使用人次", 10, "visitors", "", "近 12 个月日均 20 人次以上得满分。"),
            ("职工满意度", "satisfaction", "职工满意度", 15, "satisfaction", "", "职工扫码评价的平均分。"),
            ("管理", "management", "日常管理与卫生", 5, "manual", "", "整洁卫生，物品摆放有序，台账齐全。"),
            ("管理", "manager_training", "管理员培训", 5, "manual", "", "站点管理员参加每月培训。"),
        ],
    ),
]


def seed_default_schemes(RatingScheme, Indicator) -> None:
    """Idempotent; takes the model classes so that a migration can pass its historical models. Only creates:
    a shipped scheme already present is left alone (it may be in use)."""
    for code, name, kinds, indicators in SCHEMES:
        scheme, created = RatingScheme.objects.get_or_create(
            code=code,
            version=1,
            defaults={
                "name": name,
                "kinds": kinds,
                "region": None,
                "status": "active",
                "thresholds": THRESHOLDS,
                "validity_years": 1,
            },
        )
        if not created:
            continue
        for order, (group, icode, iname, points, source, param, guidance) in enumerate(indicators):
            Indicator.objects.create(
                scheme=scheme,
                group=group,
                code=icode,
                name=iname,
                max_points=points,
                source=source,
                source_param=param,
                guidance=guidance,
                sort_order=order,
            )
