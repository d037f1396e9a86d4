"""The member roster template (会员花名册模板) county staff hand to grassroots unions.

One sheet to fill in: the headers, one sample row clearly marked (it is skipped on import, never stored),
the ID-number and mobile columns formatted as text and the join-date column as a date down to row ``ROWS``,
so that what people type below the sample stays what they typed; drop-down lists in the coded columns
(occupation, status, union). A second sheet lists the values those columns accept. Written by the one writer
(``unionhub.spreadsheets.writing``)."""

from __future__ import annotations

import itertools

from django.utils import timezone, translation

from membership.choices import MemberStatus, Occupation
from membership.services.roster_rows import SAMPLE_MARK, SAMPLE_RESIDENT_ID, TEMPLATE_HEADERS, allowed_labels
from unionhub.models.regions import OrganizationKind, UnionOrganization
from unionhub.scoping import scope_queryset
from unionhub.spreadsheets.writing import DATE, TEXT, Sheet, write_xlsx

ROWS = 5000  # formats and drop-downs reach this far down
VALUES_SHEET = "可选值"
SAMPLE_NOTE = "示例行：导入时自动跳过，不会登记。请从第 3 行起填写，也可以删除这一行。"


def roster_template_workbook(*, user) -> bytes:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    unions = list(
        scope_queryset(UnionOrganization.objects.filter(kind=OrganizationKind.GRASSROOTS, is_holding_pool=False), user)
        .order_by("region_id", "name")
        .values_list("name", flat=True)[:1000]
    )
    with translation.override("zh-hans"):
        occupations = allowed_labels(Occupation.choices)
        statuses = allowed_labels(MemberStatus.choices)
    column = {header: i for i, header in enumerate(TEMPLATE_HEADERS)}
    sample = [
        f"张三（{SAMPLE_MARK}）",
        SAMPLE_RESIDENT_ID,
        "13800138000",
        unions[0] if unions else "某某有限公司工会",
        "某某有限公司",
        occupations[1],
        timezone.localdate(),
        statuses[0],
    ]
    lists = {"职业": occupations, "会员状态": statuses, "所属工会": unions}
    validations = []
    for offset, (header, items) in enumerate(lists.items(), start=1):
        if not items:
            continue
        letter = get_column_letter(offset)
        validation = DataValidation(
            type="list",
            formula1=f"'{VALUES_SHEET}'!${letter}$2:${letter}${len(items) + 1}",
            allow_blank=True,
            showErrorMessage=header != "所属工会",  # a union may be given by its credit code too
            errorTitle="不在可选值中",
            error=f"请从下拉列表中选择{header}，可选值见“{VALUES_SHEET}”工作表。",
        )
        target = get_column_letter(column[header] + 1)
        validation.add(f"{target}2:{target}{ROWS}")
        validations.append(validation)
    roster = Sheet(
        "会员花名册",
        TEMPLATE_HEADERS,
        [sample],
        formats={column["身份证号"]: TEXT, column["手机号"]: TEXT, column["入会日期"]: DATE},
        notes={0: {0: SAMPLE_NOTE}},
        fill_to=ROWS,
        validations=validations,
    )
    note = ["性别和出生日期从身份证号识别，不必填写；第 2 行是示例，导入时跳过。"]
    values = Sheet(
        VALUES_SHEET,
        [*lists, None, "说明"],
        itertools.zip_longest(*lists.values(), [], note),
    )
    return write_xlsx([roster, values])
