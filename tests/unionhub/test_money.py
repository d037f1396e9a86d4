"""Money reads one way everywhere: grouped by thousands, two decimals - in lists, pages, prints and files."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from stations.models import SubsidyAllocation
from unionhub.admin.helpers import money_column
from unionhub.money import format_yuan, to_fen
from unionhub.spreadsheets.writing import Sheet, write_xlsx


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("18824.6600000000"), "18,824.66"),  # a sum as SQLite returns it
        (Decimal("133578.8"), "133,578.80"),
        (12000, "12,000.00"),
        (Decimal("0.005"), "0.01"),  # half up, to the fen
        (None, ""),
        ("", ""),
    ],
)
def test_an_amount_reads_grouped_and_to_the_fen(value, text):
    assert format_yuan(value) == text


def test_a_float_is_rounded_through_its_text_not_its_binary_value():
    assert to_fen(2.675) == Decimal("2.68")  # Decimal(2.675) would be 2.67499999…


def test_every_list_shows_its_amounts_grouped(db):
    """The base admin turns each money field of list_display into a grouped, sortable column."""
    admin = site._registry[SubsidyAllocation]
    request = RequestFactory().get("/")
    request.user = type("U", (), {"is_superuser": True})()
    columns = admin.get_list_display(request)
    amount = next(c for c in columns if getattr(c, "__name__", c) == "amount")
    assert callable(amount) and amount.admin_order_field == "amount"
    assert amount(SubsidyAllocation(amount=Decimal("18824.66"))) == "18,824.66"
    assert money_column(SubsidyAllocation, "stars") == "stars"  # not money: unchanged


def test_a_workbook_keeps_amounts_as_numbers_with_the_grouped_format():
    data = write_xlsx(Sheet(title="金额", headers=["金额", "评分"], rows=[[Decimal("133578.80"), Decimal("88.5")]]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    amount, score = sheet["A2"], sheet["B2"]
    assert amount.value == pytest.approx(133578.8) and amount.number_format == "#,##0.00"
    assert score.number_format != "#,##0.00"  # a score to one decimal is not money
