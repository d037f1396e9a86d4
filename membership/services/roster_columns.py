"""The columns of a member roster as people head them (Chinese headers and the English field names of our own
export), the columns understood and deliberately not imported, and the words rosters use for occupations,
statuses and genders. Data only; ``roster_rows`` checks the rows."""

import re

from django.utils.translation import gettext_lazy

from membership.choices import MemberStatus, Occupation
from unionhub.personal import MOBILE, RESIDENT_ID

# --- Columns -----------------------------------------------------------------------------------------------

# field -> (template header, other accepted headers). Headers are data, in Chinese as county staff write
# them, with the English field names (which the member export uses) as aliases.
COLUMNS: dict[str, tuple[str, list[str]]] = {
    "name": ("姓名", ["name", "会员姓名", "职工姓名", "姓 名", "名字"]),
    "resident_id": (
        "身份证号",
        [
            "resident_id",
            "resident id number",
            "id number",
            "身份证号码",
            "居民身份证号码",
            "居民身份证号",
            "公民身份号码",
            "公民身份证号码",
            "公民身份证号",
            "身份证",
            "证件号码",
            "证件号",
            "身份证件号码",
        ],
    ),
    "mobile": (
        "手机号",
        ["mobile", "mobile number", "phone", "手机", "手机号码", "联系电话", "电话", "联系方式", "移动电话"],
    ),
    "union": (
        "所属工会",
        ["union", "grassroots union", "工会", "基层工会", "工会名称", "所属基层工会", "基层工会名称"],
    ),
    "employer": (
        "工作单位",
        [
            "employer",
            "employer or platform",
            "单位",
            "工作单位或平台",
            "所在单位",
            "单位名称",
            "工作单位名称",
            "就业单位",
        ],
    ),
    "occupation": ("职业", ["occupation", "职业类别", "工种", "新就业形态类别", "新就业形态", "职业类型", "从业类别"]),
    "join_date": ("入会日期", ["join_date", "join date", "入会时间", "入会年月", "加入工会时间", "入会年月日"]),
    "status": ("会员状态", ["status", "状态", "会籍状态"]),
    "gender": ("性别", ["gender", "sex"]),
}
# Columns that are understood and deliberately not imported: derived from the ID number or assigned by the
# system, added by our own error workbook and export, or the spreadsheet's own bookkeeping (序号, 备注). They
# are shown in the column mapping as not imported, so nothing is dropped unseen.
IGNORED_COLUMNS: dict[str, list[str]] = {
    "_derived": [
        "birth_date",
        "出生日期",
        "出生年月",
        "年龄",
        "card_number",
        "会员卡号",
        "卡号",
        "会员证号",
        "会员证编号",
        "工会会员证号",
        "source",
        "来源",
        "入会方式",
    ],  # fmt: skip
    "_errors": ["错误说明", "errors", "原行号", "original row"],
    "_bookkeeping": ["序号", "编号", "No", "备注", "说明"],
}
REQUIRED = ["name", "resident_id", "union"]
NUMBERS = {"resident_id": RESIDENT_ID, "mobile": MOBILE}  # personal numbers: a bad one is shown masked
ERROR_HEADER = "错误说明"
ROW_HEADER = "原行号"
TEMPLATE_HEADERS = [COLUMNS[field][0] for field in COLUMNS if field != "gender"]
DEFAULT_OCCUPATION = Occupation.EMPLOYEE

# Common ways a roster names an occupation or a status, besides the choices' own labels and codes.
OCCUPATION_SYNONYMS = {
    **dict.fromkeys(
        ["外卖骑手", "外卖员", "外卖", "骑手", "送餐员", "配送员", "网约配送员", "美团骑手", "饿了么骑手", "外卖小哥"],
        Occupation.DELIVERY_RIDER,
    ),
    **dict.fromkeys(["快递员", "快递", "快递小哥", "快递业务员", "揽投员", "投递员"], Occupation.COURIER),
    **dict.fromkeys(["货车司机", "卡车司机", "货运司机", "大货车司机"], Occupation.TRUCK_DRIVER),
    **dict.fromkeys(["网约车司机", "网约车", "滴滴司机", "代驾", "代驾司机"], Occupation.RIDE_HAILING_DRIVER),
    **dict.fromkeys(["家政服务员", "家政", "家政服务", "保姆", "月嫂", "育婴员"], Occupation.HOME_SERVICE),
    **dict.fromkeys(["平台从业人员", "网络主播", "主播", "互联网营销师"], Occupation.OTHER_PLATFORM),
    **dict.fromkeys(
        [
            "职工",
            "员工",
            "企业职工",
            "工人",
            "普工",
            "一线工人",
            "技术工人",
            "技工",
            "操作工",
            "职员",
            "管理人员",
            "技术人员",
            "干部",
            "教师",
            "医生",
            "护士",
            "农民工",
            "合同工",
            "服务员",
            "营业员",
            "保安",
            "会计",
            "文员",
            "企事业单位职工",
            "事业单位职工",
        ],
        Occupation.EMPLOYEE,
    ),  # fmt: skip
    **dict.fromkeys(["环卫工人", "环卫工", "环卫", "清洁工", "保洁员", "道路清扫工"], Occupation.SANITATION),
    **dict.fromkeys(["建筑工人", "建筑工", "建筑", "泥瓦工", "钢筋工", "架子工"], Occupation.CONSTRUCTION),
    **dict.fromkeys(["矿工", "煤矿工人", "井下工人", "采煤工", "掘进工"], Occupation.MINER),
    "其他": Occupation.OTHER,
    "其它": Occupation.OTHER,
}
STATUS_SYNONYMS = {
    **dict.fromkeys(["在会", "正常", "有效", "在册", "在职", "会员"], MemberStatus.ACTIVE),
    **dict.fromkeys(["转出", "已转出", "转会", "调出"], MemberStatus.TRANSFERRED),
    **dict.fromkeys(["退会", "失效", "已退会", "已失效", "离职", "退休"], MemberStatus.LAPSED),
}
GENDER_SYNONYMS = {"男": "M", "男性": "M", "m": "M", "male": "M", "女": "F", "女性": "F", "f": "F", "female": "F"}
# The template's sample row (GB 11643's example number): skipped on import, never stored.
SAMPLE_RESIDENT_ID = "11010519491231002X"
SAMPLE_MARK = "示例"
# What the first filled cell of a row under a table says when the row is not a member: totals, signatures,
# notes. Only rows without an ID number are recognised this way.
_FOOTER_RE = re.compile(
    r"^(合计|总计|小计|共计|总人数|人数合计|填表人|填报人|制表人|制表|填表|填报|审核人|审核|审批|负责人|经办人|"
    r"联系人|联系电话|工会主席|主席|单位盖章|单位（盖章）|单位\(盖章\)|盖章|日期|填表日期|填报日期|签字|签名|"
    r"注[：:]|说明[：:]|备注[：:]|注意|以上|此表|本表|共\d)"
)
UNION_PROBLEMS = {
    "unknown": gettext_lazy("No union with this name or credit code is registered."),
    "scope": gettext_lazy("This union is outside the area you manage."),
    "ambiguous": gettext_lazy("More than one union you manage has this name; give its credit code instead."),
    "kind": gettext_lazy("Members can join a grassroots union or an industry union federation inside a county."),
    "missing": gettext_lazy("Give the member's union."),
}
