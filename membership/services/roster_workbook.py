"""The member roster template (会员花名册模板) county staff hand to grassroots unions.

One sheet to fill in: the headers, one sample row clearly marked (it is skipped on import, never stored),
the ID-number and mobile columns formatted as text and the join-date column as a date over the whole
column, so that what people type below the sample stays what they typed; drop-down lists in the coded
columns (occupation, status, union). A second sheet lists the values those columns accept."""

from __future__ import annotations

import io

from django.utils import timezone, translation

from membership.choices import MemberStatus, Occupation
from membership.services.roster_rows import SAMPLE_MARK, SAMPLE_RESIDENT_ID, TEMPLATE_HEADERS, allowed_labels
from unionhub.models.regions import OrganizationKind, UnionOrganization
from unionhub.scoping import scope_queryset

ROWS = 5000  # formats and drop-downs reach this far down
VALUES_SHEET = "可选值"


def roster_template_workbook(*, user) -> bytes:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
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
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "会员花名册"
    sheet.append(TEMPLATE_HEADERS)
    column = {header: i + 1 for i, header in enumerate(TEMPLATE_HEADERS)}
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
    sheet.append(sample)
    grey, italic = PatternFill("solid", fgColor="EEEEEE"), Font(italic=True, color="808080")
    for cell in sheet[2]:
        cell.fill, cell.font = grey, italic
    sheet.cell(row=2, column=1).comment = Comment(
        "示例行：导入时自动跳过，不会登记。请从第 3 行起填写，也可以删除这一行。", "unionhub"
    )
    for header in TEMPLATE_HEADERS:
        sheet.cell(row=1, column=column[header]).font = Font(bold=True)
    formats = {"身份证号": "@", "手机号": "@", "入会日期": "yyyy-mm-dd"}
    for header, number_format in formats.items():
        index = column[header]
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].number_format = number_format  # the whole column, rows not yet made
        for row in range(2, ROWS + 1):
            sheet.cell(row=row, column=index).number_format = number_format
    for header in TEMPLATE_HEADERS:
        sheet.column_dimensions[get_column_letter(column[header])].width = 22 if header != "姓名" else 16
    sheet.freeze_panes = "A2"

    values = workbook.create_sheet(VALUES_SHEET)
    lists = {"职业": occupations, "会员状态": statuses, "所属工会": unions}
    for offset, (header, items) in enumerate(lists.items(), start=1):
        values.cell(row=1, column=offset, value=header).font = Font(bold=True)
        for row, item in enumerate(items, start=2):
            values.cell(row=row, column=offset, value=item)
        values.column_dimensions[get_column_letter(offset)].width = 30
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
        target = get_column_letter(column[header])
        validation.add(f"{target}2:{target}{ROWS}")
        sheet.add_data_validation(validation)
    values.cell(row=1, column=5, value="说明").font = Font(bold=True)
    values.cell(row=2, column=5, value="性别和出生日期从身份证号识别，不必填写；第 2 行是示例，导入时跳过。")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
