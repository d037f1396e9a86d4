"""Employer list import: ours (outreach.services.employer_import) against django-import-export on the same file.
``python -m bench employer_import -- --rows 10000`` for a quick run (default 100,000 employers).

An XLSX market-regulation list of N employers in 沁水县's towns (a title row above the header, as the lists come),
one in twenty carrying the credit code of a union already registered. Ours: read, every row checked, matched
to the unions by credit code, written in batches - then the same file again (every row an update).
django-import-export: a ``ModelResource`` keyed by the credit code, the union matched through a
``ForeignKeyWidget`` on the credit code, the same file read through tablib; on ``--ie-rows`` rows (default
5,000) and scaled linearly. Bench rows carry credit codes with the prefix 93140521BE and are removed after.
"""

from __future__ import annotations

import argparse
import io
import os
import time

COUNTY = "140521"
TOWNS = ["龙港镇", "中村镇", "郑庄镇", "端氏镇", "嘉峰镇", "郑村镇", "柿庄镇", "土沃镇"]
PREFIX = "93140521BE"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhub.settings")
    import django

    django.setup()


def code(i: int) -> str:
    from unionhub.validators import credit_code_check_char

    base = f"{PREFIX}{i:07d}"
    return base + credit_code_check_char(base)


def workbook(rows: int) -> bytes:
    from unionhub.spreadsheets.writing import Sheet, write_xlsx

    headers = ["统一社会信用代码", "企业名称", "乡镇", "行业", "职工人数", "是否平台企业"]
    data = (
        [code(i), f"沁水县基准{i}有限公司", TOWNS[i % 8], "制造业", 5 + i % 200, "是" if i % 17 == 0 else "否"]
        for i in range(rows)
    )
    out = io.BytesIO()
    write_xlsx(Sheet("企业名录", headers, data, caption=["沁水县市场主体名录（基准测试）"]), out)
    return out.getvalue()


def clean() -> None:
    from outreach.models import Employer
    from unionhub.models.regions import UnionOrganization

    Employer.objects.filter(credit_code__startswith=PREFIX).delete()
    UnionOrganization.objects.filter(credit_code__startswith=PREFIX).delete()


def unions(rows: int) -> int:
    from unionhub.models.regions import OrganizationKind, UnionOrganization

    made = [
        UnionOrganization(
            name=f"沁水县基准{i}有限公司工会", kind=OrganizationKind.GRASSROOTS, region_id=f"{COUNTY}104",
            employer=f"沁水县基准{i}有限公司", credit_code=code(i),
        )
        for i in range(0, rows, 20)
    ]  # fmt: skip
    UnionOrganization.objects.bulk_create(made, batch_size=1000)
    return len(made)


def ours(data: bytes):
    from outreach.services import employer_import
    from unionhub.models.regions import Region

    county = Region.objects.get(code=COUNTY)
    started = time.perf_counter()
    outcome = employer_import(data=data, filename="名录.xlsx", county=county)
    assert outcome.ok, outcome.errors[:5]
    return time.perf_counter() - started, outcome


def import_export(data: bytes) -> tuple[float, int]:
    import tablib
    from import_export import fields, resources, widgets

    from outreach.models import Employer
    from unionhub.models.regions import Region, UnionOrganization

    towns = {
        name: code_
        for code_, name in Region.objects.filter(code__startswith=COUNTY, level="town").values_list("code", "name")
    }

    class EmployerResource(resources.ModelResource):
        union = fields.Field(
            attribute="union", column_name="union", widget=widgets.ForeignKeyWidget(UnionOrganization, "credit_code")
        )

        class Meta:
            model = Employer
            import_id_fields = ["credit_code"]
            fields = ["credit_code", "name", "town", "industry", "workers", "is_platform", "union"]

    started = time.perf_counter()
    sheet = tablib.Dataset().load(data, format="xlsx", skip_lines=1)  # the title row above the header
    rows = [list(r) for r in sheet]
    dataset = tablib.Dataset(
        # The union column names a union only where one carries the code (every twentieth row, as ``unions``).
        *[
            [r[0], r[1], towns[r[2]], "manufacturing", r[4], r[5] == "是", r[0] if i % 20 == 0 else ""]
            for i, r in enumerate(rows)
        ],
        headers=["credit_code", "name", "town", "industry", "workers", "is_platform", "union"],
    )
    result = EmployerResource().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
    assert not result.has_errors()
    return time.perf_counter() - started, len(rows)


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench employer_import")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--ie-rows", type=int, default=5_000)
    args = parser.parse_args(argv)
    _setup()
    from django.core.management import call_command

    from unionhub.services import regions_load

    call_command("migrate", verbosity=0)
    regions_load()
    clean()
    try:
        matched = unions(args.rows)
        data = workbook(args.rows)
        print(f"file: {args.rows:,} employers, {len(data) / 2**20:.1f} MB XLSX; {matched:,} unions to match")
        first, outcome = ours(data)
        rate = args.rows / first
        print(f"ours: {first:.1f} s, {rate:,.0f} rows/s; created {outcome.created:,}, matched {outcome.matched:,}")
        again, outcome = ours(data)
        print(f"ours, the same file again: {again:.1f} s ({outcome.updated:,} updated)")
        clean()
        ie_rows = min(args.ie_rows, args.rows)
        unions(ie_rows)
        ie_seconds, done = import_export(workbook(ie_rows))
        scaled = ie_seconds * args.rows / done
        note = "" if done == args.rows else f" (measured on {done:,} rows, scaled)"
        print(f"django-import-export: {scaled:.1f} s for {args.rows:,} rows{note}, {done / ie_seconds:,.0f} rows/s")
        print(f"ratio: ours is {scaled / first:.1f}x faster")
    finally:
        clean()
