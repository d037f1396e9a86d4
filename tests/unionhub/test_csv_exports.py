"""CSV exports open correctly in Excel on Chinese Windows and come back in unchanged."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from membership.models import Member, PersonalDataReveal
from membership.resources import MemberResource
from tests import spreadsheet_checks as checks
from tests.factories import QINSHUI
from tests.membership.factories import MemberFactory, union_in
from unionhub.spreadsheets.formats import ExcelCSV

pytestmark = pytest.mark.django_db


def export_csv(user, model=Member) -> bytes:
    model_admin = site._registry[model]
    request = RequestFactory().get("/")
    request.user = user
    return model_admin.get_export_data(ExcelCSV(), request, model_admin.get_export_queryset(request), encoding="utf-8")


@pytest.fixture
def member(regions):
    return MemberFactory(union=union_in(QINSHUI), name="王芳", mobile="13912345678")


def test_it_starts_with_a_bom_and_keeps_ids_and_mobiles_as_text(member, alice):
    data = export_csv(alice)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "王芳" in text
    assert f"\t{member.resident_id}" in text and "\t13912345678" in text
    assert f"\t{member.card_number}" in text
    assert PersonalDataReveal.objects.filter(user=alice, subject="export").exists()  # full numbers: logged


def test_without_the_reveal_permission_the_numbers_are_masked(member, carol):
    text = export_csv(carol).decode("utf-8-sig")
    assert member.resident_id not in text and member.mobile not in text
    assert "139****5678" in text


def test_an_exported_file_reads_back_without_the_tabs(member, alice):
    dataset = ExcelCSV().create_dataset(export_csv(alice))
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    # The headers are the fields' Chinese names (resident_id → 身份证号码).
    assert row["身份证号码"] == member.resident_id and row["手机号码"] == member.mobile


@pytest.mark.parametrize(("choice", "kind"), [("0", "xlsx"), ("1", "csv")])
def test_the_admins_export_download_keeps_numbers_as_text_and_neutralises_formulas(
    choice, kind, alice, regions, client_for
):
    """The admin's export (django-import-export) is written by the one writer, in both formats."""
    member = MemberFactory(union=union_in(QINSHUI), name="王芳", employer="@SUM(A1)", mobile="13912345678")
    fields = {f"memberresource_{name}": "on" for name in MemberResource().fields}
    response = client_for(alice).post(
        reverse("admin:membership_member_export"), {"format": choice, "resource": "0", **fields}
    )
    assert response.status_code == 200 and f".{kind}" in response["Content-Disposition"]
    numbers = (member.resident_id, member.card_number, member.mobile)
    if kind == "csv":
        rows = checks.csv_rows(response.content)
        checks.assert_csv_text(rows, *numbers)
        assert "'@SUM(A1)" in rows[1] and "身份证号码" in rows[0]
        checks.assert_chinese(rows[0], "会员")
    else:
        sheet = checks.open_xlsx(response.content).active
        checks.assert_xlsx_text(sheet, *numbers)
        assert checks.cell_holding(sheet, "'@SUM(A1)").data_type == "s"
        checks.assert_chinese([cell.value for cell in sheet[1]], sheet.title)
        assert sheet.title == "会员" and sheet.freeze_panes == "A2" and sheet["A1"].font.b
