"""CSV exports open correctly in Excel on Chinese Windows and come back in unchanged."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from membership.models import Member, PersonalDataReveal
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
