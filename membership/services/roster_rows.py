"""The columns of a member roster and the checks of one row: the same rules as the online join form (ID
check character and birth date, mobile number, name), plus the spreadsheet's own troubles (IDs that Excel
turned into numbers, dates as Excel serials or text, full-width characters, synonyms for occupations and
statuses). Used by ``membership.services.roster``; pure Python, no database."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from membership.choices import MemberStatus, Occupation
from unionhub.resources import FORMULA_TRIGGERS
from unionhub.spreadsheets.reading import cell_text, parse_date
from unionhub.validators import halfwidth, normalize_mobile, normalize_resident_id, validate_visible_text

# --- Columns -----------------------------------------------------------------------------------------------

# field -> (template header, other accepted headers). Headers are data, in Chinese as county staff write
# them, with the English field names (which the member export uses) as aliases.
COLUMNS: dict[str, tuple[str, list[str]]] = {
    "name": ("姓名", ["name", "会员姓名", "职工姓名"]),
    "resident_id": (
        "身份证号",
        ["resident_id", "resident id number", "id number", "身份证号码", "居民身份证号码", "公民身份号码", "身份证"],
    ),
    "mobile": ("手机号", ["mobile", "mobile number", "phone", "手机", "手机号码", "联系电话", "电话"]),
    "union": ("所属工会", ["union", "grassroots union", "工会", "基层工会", "工会名称", "所属基层工会"]),
    "employer": ("工作单位", ["employer", "employer or platform", "单位", "工作单位或平台", "所在单位"]),
    "occupation": ("职业", ["occupation", "职业类别", "工种"]),
    "join_date": ("入会日期", ["join_date", "join date", "入会时间"]),
    "status": ("会员状态", ["status", "状态"]),
}
# Columns that are understood and deliberately not imported: derived from the ID number, assigned by the
# system, or added by our own error workbook and export.
IGNORED_COLUMNS: dict[str, list[str]] = {
    "_derived": ["gender", "birth_date", "性别", "出生日期", "card_number", "会员卡号", "卡号", "source", "来源"],
    "_errors": ["错误说明", "errors", "原行号", "original row"],
}
REQUIRED = ["name", "resident_id", "union"]
ERROR_HEADER = "错误说明"
ROW_HEADER = "原行号"
TEMPLATE_HEADERS = [COLUMNS[field][0] for field in COLUMNS]
DEFAULT_OCCUPATION = Occupation.EMPLOYEE

# Common ways a roster names an occupation or a status, besides the choices' own labels and codes.
OCCUPATION_SYNONYMS = {
    "外卖骑手": Occupation.DELIVERY_RIDER,
    "外卖员": Occupation.DELIVERY_RIDER,
    "骑手": Occupation.DELIVERY_RIDER,
    "网约配送员": Occupation.DELIVERY_RIDER,
    "快递员": Occupation.COURIER,
    "快递小哥": Occupation.COURIER,
    "货车司机": Occupation.TRUCK_DRIVER,
    "网约车司机": Occupation.RIDE_HAILING_DRIVER,
    "家政服务员": Occupation.HOME_SERVICE,
    "职工": Occupation.EMPLOYEE,
    "员工": Occupation.EMPLOYEE,
    "企业职工": Occupation.EMPLOYEE,
    "环卫工人": Occupation.SANITATION,
    "环卫工": Occupation.SANITATION,
    "建筑工人": Occupation.CONSTRUCTION,
    "矿工": Occupation.MINER,
    "煤矿工人": Occupation.MINER,
    "其他": Occupation.OTHER,
}
STATUS_SYNONYMS = {
    "在会": MemberStatus.ACTIVE,
    "正常": MemberStatus.ACTIVE,
    "有效": MemberStatus.ACTIVE,
    "在册": MemberStatus.ACTIVE,
    "转出": MemberStatus.TRANSFERRED,
    "已转出": MemberStatus.TRANSFERRED,
    "转会": MemberStatus.TRANSFERRED,
    "退会": MemberStatus.LAPSED,
    "失效": MemberStatus.LAPSED,
    "已退会": MemberStatus.LAPSED,
}
UNION_PROBLEMS = {
    "unknown": gettext_lazy("No union with this name or credit code is registered."),
    "scope": gettext_lazy("This union is outside the area you manage."),
    "ambiguous": gettext_lazy("More than one union you manage has this name; give its credit code instead."),
    "kind": gettext_lazy("Members can join a grassroots union or an industry union federation inside a county."),
    "missing": gettext_lazy("Give the member's union."),
}
# Digits, brackets, quotes and formula characters are never part of a name (formula text, pasted numbers).
_NOT_NAME_RE = re.compile(r"[0-9=+@<>()（）\"'\\|;；:：/]")


def _invisible(text: str) -> str:
    """The validator's message if ``text`` holds invisible or direction-changing characters, else ""."""
    try:
        validate_visible_text(text)
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def _aliases() -> dict[str, list[str]]:
    return {field: [header, *others] for field, (header, others) in COLUMNS.items()} | IGNORED_COLUMNS


def _choice_lookup(choices, synonyms: dict) -> dict[str, str]:
    """Code, Chinese label, English label and synonyms -> code, compared without spaces and case."""
    lookup = {}
    for value, label in choices:
        lookup[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[re.sub(r"\s", "", str(label)).lower()] = value
    for text, value in synonyms.items():
        lookup[text] = value
    return lookup


# --- Rows --------------------------------------------------------------------------------------------------


@dataclass
class RowCheck:
    """Validates one row in Python; built once per file (the lookups, the columns it has)."""

    fields: list[str | None]
    headers: list[str]
    today: dt.date

    def __post_init__(self):
        self.index = {field: i for i, field in enumerate(self.fields) if field and not field.startswith("_")}
        self.width = len(self.fields)
        # A missing column reads the None appended after the last one.
        self.at = {field: self.index.get(field, self.width) for field in COLUMNS}
        self.occupations = _choice_lookup(Occupation.choices, OCCUPATION_SYNONYMS)
        self.statuses = _choice_lookup(MemberStatus.choices, STATUS_SYNONYMS)
        self.label = {field: str(self.headers[i]).strip() for field, i in self.index.items()}
        # Unions, employers, occupations, dates and statuses repeat down a roster: each distinct cell value is
        # normalised once (the caches are bounded, see _cached).
        self.cache: dict[str, dict] = {field: {} for field in ("union", "occupation", "join_date", "status")}

    def _cached(self, field: str, raw, compute):
        cache = self.cache[field]
        try:
            return cache[raw]
        except KeyError:
            value = compute(raw)
            if len(cache) < 10_000:
                cache[raw] = value
            return value
        except TypeError:  # an unhashable value cannot come from a spreadsheet, but stay safe
            return compute(raw)

    def _occupation(self, raw):
        text = re.sub(r"\s", "", cell_text(raw)).lower()
        return (self.occupations.get(text), True) if text else (None, False)

    def _status(self, raw):
        text = re.sub(r"\s", "", cell_text(raw)).lower()
        return (self.statuses.get(text), True) if text else (None, False)

    def _join_date(self, raw):
        if raw is None or raw == "":
            return None, None
        try:
            joined = parse_date(raw if not isinstance(raw, str) else cell_text(raw))
        except ValueError as exc:
            return None, str(exc)
        if joined > self.today:
            return None, _("The join date is in the future.")
        if joined.year < 1925:
            return None, _("The join date is not possible.")
        return joined, None

    def check(self, values: tuple) -> tuple[dict, list]:
        """(normalised values, [[column, message], ...]) of one row."""
        errors: list = []
        out: dict = {}
        at = self.at
        if len(values) <= self.width:
            values = (*values, *[None] * (self.width + 1 - len(values)))

        def fail(field: str, message) -> None:
            errors.append([self.label.get(field, COLUMNS[field][0]), str(message)])

        name = " ".join(cell_text(values[at["name"]]).split())
        if not name:
            fail("name", _("Give the member's name."))
        elif len(name) > 50 or name.startswith(FORMULA_TRIGGERS) or _NOT_NAME_RE.search(name):
            fail("name", _("This is not a name."))
        elif _invisible(name):
            fail("name", _invisible(name))
        out["name"] = name[:50]

        raw_id = values[at["resident_id"]]
        out["resident_id"], out["gender"], out["birth_date"] = "", "", None
        if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
            fail("resident_id", _("Give the member's resident ID number."))
        else:
            try:
                code = normalize_resident_id(
                    raw_id if isinstance(raw_id, int | float) else cell_text(raw_id), today=self.today
                )
            except ValidationError as exc:
                fail("resident_id", exc.messages[0])
            else:
                out["resident_id"] = code
                out["gender"] = "M" if int(code[16]) % 2 else "F"
                out["birth_date"] = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))

        mobile = values[at["mobile"]]
        out["mobile"] = None
        if mobile is not None and mobile != "":
            try:
                out["mobile"] = normalize_mobile(cell_text(mobile))
            except ValidationError as exc:
                fail("mobile", exc.messages[0])

        union = self._cached("union", values[at["union"]], lambda raw: halfwidth(cell_text(raw)))
        out["union_text"] = union[:100]
        if len(union) > 100:
            fail("union", UNION_PROBLEMS["unknown"])

        employer = cell_text(values[at["employer"]])
        out["employer"] = employer or None
        if len(employer) > 100:
            fail("employer", _("At most 100 characters."))
        elif employer.startswith(FORMULA_TRIGGERS):
            fail("employer", _("This looks like a spreadsheet formula, not an employer."))

        out["occupation"], given = self._cached("occupation", values[at["occupation"]], self._occupation)
        if given and out["occupation"] is None:
            fail("occupation", _("Unknown occupation; use one of the occupations in the template."))

        out["join_date"], problem = self._cached("join_date", values[at["join_date"]], self._join_date)
        if problem:
            fail("join_date", problem)
        out["card_year"] = (out["join_date"] or self.today).year

        out["status"], given = self._cached("status", values[at["status"]], self._status)
        if given and out["status"] is None:
            fail("status", _("Unknown member status; use 在会, 转出 or 退会."))
        return out, errors
