"""Employer list import: ours (outreach's import: the check and the write the two jobs run) against
django-import-export on the same file. ``python -m bench employer_import -- --rows 10000`` for a quick run
(default 100,000 employers).

An XLSX market-regulation list of N employers in 沁水县's towns (a title row above the header, as the lists
come), one in twenty carrying the credit code of a union already registered. Ours: the stored file checked
(every row, staged by COPY, matched to the unions by credit code in one statement), then written set-based;
then the same file again (nothing written) and a file with one row in ten changed (those rows updated).
django-import-export: a ``ModelResource`` keyed by the credit code, the union matched through a widget on the
credit code, the same file read through tablib; the import itself on the file's first ``--ie-rows`` rows
(default 5,000) and scaled linearly to N (printed as such). The machine's load is printed before and after.
Bench rows carry credit codes with the prefix 93140521BE and are removed after."""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time

COUNTY = "140521"
TOWNS = ["龙港镇", "中村镇", "郑庄镇", "端氏镇", "嘉峰镇", "郑村镇", "柿庄镇", "土沃镇"]
PREFIX = "93140521BE"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhub.settings")
    import django

    django.setup()


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def code(i: int) -> str:
    from unionhub.validators import credit_code_check_char

    base = f"{PREFIX}{i:07d}"
    return base + credit_code_check_char(base)


def workbook(rows: int, changed_every: int = 0) -> bytes:
    from unionhub.spreadsheets.writing import Sheet, write_xlsx

    headers = ["统一社会信用代码", "企业名称", "乡镇", "行业", "职工人数", "是否平台企业"]

    def workers(i: int) -> int:
        return 5 + i % 200 + (1 if changed_every and i % changed_every == 0 else 0)

    data = (
        [code(i), f"沁水县基准{i}有限公司", TOWNS[i % 8], "制造业", workers(i), "是" if i % 17 == 0 else "否"]
        for i in range(rows)
    )
    out = io.BytesIO()
    write_xlsx(Sheet("企业名录", headers, data, caption=["沁水县市场主体名录（基准测试）"]), out)
    return out.getvalue()


def clean() -> None:
    from outreach.models import Employer, EmployerImport
    from unionhub.models.regions import UnionOrganization

    Employer.history.model.objects.filter(credit_code__startswith=PREFIX).delete()
    Employer.objects.filter(credit_code__startswith=PREFIX).delete()
    UnionOrganization.objects.filter(credit_code__startswith=PREFIX).delete()
    EmployerImport.objects.filter(filename__startswith="bench-").delete()


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


def importer():
    from django.contrib.auth import get_user_model

    from tests.factories import UserFactory
    from unionhub.models.regions import Role

    user = get_user_model().objects.filter(username="bench-employers").first()
    return user or UserFactory(username="bench-employers", role=Role.COUNTY_STAFF, region=COUNTY)


def ours(data: bytes, user, name: str):
    from outreach.services import employer_list_import_now
    from unionhub.models.regions import Region

    county = Region.objects.get(code=COUNTY)
    started = time.perf_counter()
    batch = employer_list_import_now(data=data, filename=f"bench-{name}.xlsx", county=county, by=user)
    assert batch.status == "done", (batch.status, batch.error, batch.problems[:3])
    return time.perf_counter() - started, batch


def import_export(data: bytes, rows: int) -> tuple[float, float, int]:
    """(seconds reading the whole file through tablib, seconds importing its first ``rows`` rows, rows)."""
    import tablib
    from import_export import fields, resources, widgets

    from outreach.models import Employer
    from unionhub.models.regions import Region, UnionOrganization

    class UnionByCode(widgets.ForeignKeyWidget):
        def clean(self, value, row=None, **kwargs):  # no union with this code: none, not an error
            return self.get_queryset(value, row, **kwargs).filter(credit_code=value).first() if value else None

    class EmployerResource(resources.ModelResource):
        union = fields.Field(attribute="union", column_name="union", widget=UnionByCode(UnionOrganization))

        class Meta:
            model = Employer
            import_id_fields = ["credit_code"]
            fields = ["credit_code", "name", "town", "industry", "workers", "is_platform", "union"]

    started = time.perf_counter()
    sheet = tablib.Dataset().load(data, format="xlsx", skip_lines=1)  # the title row above the header
    towns = {
        name: code_
        for code_, name in Region.objects.filter(code__startswith=COUNTY, level="town").values_list("code", "name")
    }
    read = time.perf_counter() - started
    started = time.perf_counter()
    dataset = tablib.Dataset(
        *[[r[0], r[1], towns[r[2]], "manufacturing", r[4], r[5] == "是", r[0]] for r in list(sheet)[:rows]],
        headers=["credit_code", "name", "town", "industry", "workers", "is_platform", "union"],
    )
    result = EmployerResource().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
    assert not result.has_errors()
    return read, time.perf_counter() - started, len(dataset)


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench employer_import")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--ie-rows", type=int, default=5_000)
    args = parser.parse_args(argv)
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tests.factories import ensure_regions

    call_command("migrate", verbosity=0)
    ensure_regions()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="employer-bench-")
    print(f"database: {connection.vendor}; before: {load()}")
    clean()
    user = importer()
    try:
        matched = unions(args.rows)
        data = workbook(args.rows)
        print(f"file: {args.rows:,} employers, {len(data) / 2**20:.1f} MB XLSX; {matched:,} unions to match")
        first, batch = ours(data, user, "first")
        rate = args.rows / first
        print(f"ours: {first:.1f} s, {rate:,.0f} rows/s; created {batch.created:,}, matched {batch.matched:,}")
        again, batch = ours(data, user, "again")
        print(f"ours, the same file again: {again:.1f} s ({batch.written:,} written, {batch.unchanged:,} unchanged)")
        changed, batch = ours(workbook(args.rows, changed_every=10), user, "changed")
        print(
            f"ours, one row in ten changed: {changed:.1f} s ({batch.updated:,} updated, {batch.unchanged:,} unchanged)"
        )
        clean()
        unions(args.rows)
        ie_rows = min(args.ie_rows, args.rows)
        read, imported, done = import_export(data, ie_rows)
        scaled = read + imported * args.rows / done
        note = "" if done == args.rows else f"; the import measured on the file's first {done:,} rows and scaled"
        print(
            f"django-import-export: {scaled:.1f} s for {args.rows:,} rows (reading the file {read:.1f} s, "
            f"importing {done / imported:,.0f} rows/s{note})"
        )
        print(f"ratio: ours is {scaled / first:.1f}x faster than django-import-export on the same file")
        print(f"after: {load()}")
    finally:
        clean()
