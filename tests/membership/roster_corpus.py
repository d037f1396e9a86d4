"""A corpus of member rosters laid out the way grassroots unions fill them in Excel and WPS, written with
openpyxl (and a GBK CSV). Each case is (file name, content, expected verdict per sheet row number)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import openpyxl

from tests.membership.factories import resident_id

UNION = "嘉峰煤矿工会"


@dataclass
class Case:
    name: str
    filename: str
    content: bytes
    expected: dict[int, str]  # sheet row number -> create / skip / refuse
    dates: dict[int, dt.date] = field(default_factory=dict)  # row -> join date stored
    occupations: dict[int, str] = field(default_factory=dict)


def numeric_id() -> str:
    """A valid ID number without the X check character (one that Excel can turn into a number)."""
    while (code := resident_id())[-1] == "X":
        pass
    return code


def _xlsx(build) -> bytes:
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def titled_with_merged_title_and_annotated_headers() -> Case:
    ids = [resident_id() for _ in range(3)]

    def build(wb):
        ws = wb.active
        ws.append(["XX煤业有限公司工会会员花名册"])
        ws.merge_cells("A1:H1")
        ws.append([])
        ws.append(["填报单位：嘉峰煤矿", None, None, None, None, "填报日期：2025年3月"])
        ws.append(
            [
                "序号",
                "姓 名",
                "身份证号（18位）",
                "手机号码（选填）",
                "所属工会",
                "工作单位\n（或平台）",
                "职业",
                "入会时间",
            ]
        )
        ws.append([1, "张伟", ids[0], "13800000001", UNION, "嘉峰煤矿", "工人", "2024.3.1"])
        ws.append([2, "李娜", ids[1], 13800000002, UNION, "嘉峰煤矿", "井下工人", "2024年3月1日"])
        ws.append([3, "王强", ids[2], None, UNION, None, "快递小哥", 20240301])
        ws.append(["合计", "3人"])
        ws.append(["填表人：赵磊", None, None, "审核人：钱七"])

    return Case(
        "title rows, merged title, annotated headers, footer",
        "花名册.xlsx",
        _xlsx(build),
        {5: "create", 6: "create", 7: "create", 8: "skip", 9: "skip"},
        dates={5: dt.date(2024, 3, 1), 6: dt.date(2024, 3, 1), 7: dt.date(2024, 3, 1)},
        occupations={5: "employee", 6: "miner", 7: "courier"},
    )


def roster_on_sheet_two_with_numbers_for_ids() -> Case:
    ids = [numeric_id() for _ in range(4)]

    def build(wb):
        wb.active.title = "说明"
        ws = wb.create_sheet("会员名单")
        ws.append(["公民身份证号码", "备注", "姓名", "所属基层工会", "联系电话", "入会日期"])
        # IDs that Excel turned into numbers (it keeps 15 digits): refused, saying how to fix the column.
        ws.append([int(ids[0]), "新入会", "张伟", UNION, 13800000001, dt.date(2023, 5, 6)])
        ws.append([float(ids[1]), None, "李娜", UNION, None, 45000])
        ws.append([None, None, None, None, None, None])
        ws.append([ids[2], None, "=王强", UNION, None, "2023-05-06"])  # formula-like name: kept as text
        ws.append([ids[3], None, "赵磊", UNION, "13800000004", 45000])  # a date as an Excel serial
        ws.append([None, "注：本表由各基层工会填写，于每月5日前报送。"])

    return Case(
        "roster on sheet 2, reordered headers, IDs as numbers, blank row, note",
        "名单.xlsx",
        _xlsx(build),
        {2: "refuse", 3: "refuse", 5: "create", 6: "create", 7: "skip"},
        dates={5: dt.date(2023, 5, 6), 6: dt.date(2023, 3, 15)},
    )


def gbk_csv_with_everyday_words() -> Case:
    ids = [resident_id() for _ in range(4)]
    rows = [
        ["姓名", "证件号码", "手机号", "工会名称", "单位", "职业类别", "入会日期", "状态"],
        ["张伟", ids[0], "138 0000 0001", UNION, "嘉峰煤矿", "环卫工", "2024/3/1", "正常"],
        ["李娜", ids[1], "", UNION, "", "外卖员", "45352", "在会"],
        ["王强", ids[2], "", UNION, "", "飞行员", "", ""],  # unknown occupation: refused, allowed values named
        ["赵磊", ids[0], "", UNION, "", "", "", ""],  # same ID as row 2: refused, names row 2
        ["", "", "", "", "", "", "", ""],
        ["合计：4人", "", "", "", "", "", "", ""],
    ]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return Case(
        "GBK CSV, everyday occupation words, duplicate ID, totals",
        "花名册.csv",
        text.getvalue().encode("gbk"),
        {2: "refuse", 3: "create", 4: "refuse", 5: "refuse", 7: "skip"},
        dates={3: dt.date(2024, 3, 1)},
        occupations={3: "delivery_rider"},
    )


def scientific_ids_as_text() -> Case:
    ids = [resident_id() for _ in range(2)]

    def build(wb):
        ws = wb.active
        ws.append(["姓名", "身份证号", "所属工会"])
        ws.append(["张伟", "1.40521199001011E+17", UNION])  # WPS shows a long number in scientific notation
        ws.append(["李娜", ids[0], UNION])
        ws.append(["王强", f"'{ids[1]}", UNION])  # the apostrophe typed to keep it text

    return Case("IDs in scientific notation", "wps.xlsx", _xlsx(build), {2: "refuse", 3: "create", 4: "create"})


def corpus() -> list[Case]:
    return [
        titled_with_merged_title_and_annotated_headers(),
        roster_on_sheet_two_with_numbers_for_ids(),
        gbk_csv_with_everyday_words(),
        scientific_ids_as_text(),
    ]
