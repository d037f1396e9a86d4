"""Words a vacancy's requirements may not contain (就业促进法 articles 26-31, 劳动法 article 12): a limit by
gender, ethnicity, age, marriage or childbirth, household registration or hepatitis-B carriage. Pure: text in,
Chinese reasons out; the vacancy check records them."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_GENDER = re.compile(
    r"(限|仅限|只招|只要|只收|要求)\s*(男|女)(?![女男装鞋款])"
    r"|(男|女)(性|士|生)?\s*(优先|勿扰|免谈|不要|不招)"
    r"|不(招|要|收)\s*(男|女)"
    r"|(男|女)性?\s*[\d一二三四五六七八九十]+\s*名"
)
_ETHNIC = re.compile(
    r"限\s*汉族|汉族\s*优先|只招\s*汉族|(少数民族|维族|维吾尔族|回族|藏族)\s*(勿扰|免谈|不要|不招)"
    r"|不(招|要|收)\s*(少数民族|维族|维吾尔族|回族|藏族)"
)
_AGE = re.compile(
    r"(\d{2})\s*(周?岁)\s*(以下|以内|之内|以上勿扰|以上不要|以上免谈)"
    r"|不(招|要|收)\s*(\d{2})\s*(周?岁)\s*以上"
    r"|年龄\s*(不超过|不得超过|不大于|在?\d{2}\s*[-~—至到]\s*)\s*(\d{2})"
)
_MARRIAGE = re.compile(r"未婚|已婚已育|已婚未育|不(得|能)?(怀孕|生育)|限(已婚|未婚)")
_ORIGIN = re.compile(r"(限|仅限|只招)\s*本地(户口|户籍|人)|本地户口优先|外地人?\s*(勿扰|免谈|不要)")
_HEALTH = re.compile(r"乙肝|携带者\s*(勿扰|免谈|不要)")
RETIREMENT_AGE = 60  # an upper age at or above the retirement age limits nothing unlawful


def _age_limited(text: str) -> bool:
    for match in _AGE.finditer(text):
        numbers = [int(n) for n in re.findall(r"\d{2}", match.group(0))]
        if numbers and max(numbers) < RETIREMENT_AGE:
            return True
    return False


def discriminatory_reasons(text: str) -> list[str]:
    """Chinese sentences naming each kind of discriminatory requirement found in ``text`` (empty: none)."""
    text = text or ""
    reasons = []
    if _GENDER.search(text):
        reasons.append(_("The requirements limit the job by gender, which the law forbids (就业促进法 article 27)."))
    if _ETHNIC.search(text):
        reasons.append(_("The requirements limit the job by ethnicity, which the law forbids (就业促进法 article 28)."))
    if _age_limited(text):
        reasons.append(
            _(
                "The requirements set an upper age limit, which shuts out older workers (the 4050 group); state "
                "the abilities the job needs instead."
            )
        )
    if _MARRIAGE.search(text):
        reasons.append(_("The requirements ask about marriage or childbirth, which the law forbids."))
    if _ORIGIN.search(text):
        reasons.append(_("The requirements limit the job by household registration (hukou)."))
    if _HEALTH.search(text):
        reasons.append(
            _("The requirements refuse hepatitis-B carriers, which the law forbids (就业促进法 article 30).")
        )
    return reasons
