"""The shared catalogues, seeded from the source articles (Haikou, Dachuan, Shenyang). Used by a data
migration; county staff add their own entries in the admin."""

REST, WORKSHOP = "rest", "workshop"

FACILITIES = [
    # code, name, required for kinds
    ("tables_chairs", "桌椅", [REST, WORKSHOP]),
    ("microwave", "微波炉", [REST, WORKSHOP]),
    ("water", "冷热饮水", [REST, WORKSHOP]),
    ("air_conditioning", "空调", [REST]),
    ("toilet", "卫生间", [REST]),
    ("first_aid", "急救药箱", [REST]),
    ("folding_beds", "折叠床", [WORKSHOP]),
    ("massager", "小型按摩器", [WORKSHOP]),
    ("wifi", "无线网络", []),
    ("phone_charging", "手机充电", []),
    ("ebike_charging", "电动车充电", []),
    ("bookshelf", "书架", []),
    ("chess_cards", "棋牌", []),
    ("fitness", "健身器材", []),
    ("safety_display", "安全生产展示", []),
    ("affairs_board", "厂务公开栏", []),
    ("leaderboard", "职工风云榜", []),
    ("refrigerator", "冰箱", []),
]

SERVICES = [
    ("legal_consultation", "法律咨询"),
    ("mediation", "劳动争议调解"),
    ("job_postings", "就业招聘信息"),
    ("book_lending", "图书借阅"),
    ("umbrella_lending", "雨伞、工具借用"),
    ("film_night", "每周观影"),
    ("counselling", "心理疏导"),
    ("health_check", "健康检查"),
    ("membership", "入会服务"),
    ("rights", "职工维权"),
]

ACTIVITY_KINDS = [
    ("summer_cooling", "送清凉"),
    ("winter_care", "送温暖"),
    ("legal_aid", "送法律（法律咨询）"),
    ("free_clinic", "义诊"),
    ("training", "培训"),
    ("job_fair", "招聘会"),
    ("film_night", "观影"),
    ("group_counselling", "心理团辅"),
    ("health_check", "体检"),
    ("other", "其他"),
]


def seed_catalogues(Facility, Service, ActivityKind) -> None:
    """Idempotent; takes the model classes so that a migration can pass its historical models."""
    for order, (code, name, required) in enumerate(FACILITIES):
        Facility.objects.update_or_create(
            code=code, defaults={"name": name, "required_for": required, "sort_order": order, "region": None}
        )
    for order, (code, name) in enumerate(SERVICES):
        Service.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order, "region": None})
    for order, (code, name) in enumerate(ACTIVITY_KINDS):
        ActivityKind.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order, "region": None})
