"""Every personal-number field of every model is masked, for a persona without the reveal permission, in
every list, change page, history page and export of the admin (data-driven: new fields are found by name).

carol (city staff) may view everything in 晋城市 but not reveal; the rows are made by the scoping matrix's
cases, with their personal numbers set to known values and changed once, so the history has a diff."""

import contextlib

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from import_export.formats.base_formats import XLSX

from tests.factories import QINSHUI
from tests.scope_cases import CASES, load_app_cases
from unionhub.personal import can_reveal
from unionhub.spreadsheets.formats import ExcelCSV

load_app_cases()

PERSONAL_FIELDS = {
    "resident_id": ("140521199005170158", "140521198801010035"),
    "mobile": ("13912345678", "13687654321"),
}


def personal_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name in PERSONAL_FIELDS]


MODELS = [m for m in site._registry if personal_fields(m)]


def test_the_models_with_personal_numbers_are_found():
    assert {m._meta.label for m in MODELS} >= {"membership.Member", "membership.MembershipApplication"}


def _xlsx_text(data: bytes) -> str:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_no_full_number_reaches_a_persona_without_the_reveal_permission(model, people, client_for):
    carol = people["carol"]
    assert not can_reveal(carol)
    obj = CASES[model].make(QINSHUI, people)
    fields = personal_fields(model)
    for name in fields:
        setattr(obj, name, PERSONAL_FIELDS[name][0])
    obj.save()
    for name in fields:  # a second version, so the history page shows a change of each number
        setattr(obj, name, PERSONAL_FIELDS[name][1])
    obj.save()
    secrets = [value for name in fields for value in PERSONAL_FIELDS[name]]
    client = client_for(carol)
    opts = model._meta
    pages = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
    for view in ("change", "history"):
        with contextlib.suppress(NoReverseMatch):  # no history URL for this model
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk]))
    if hasattr(model, "history"):
        record = obj.history.order_by("-history_id").first()
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.pk]))
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert str(obj.pk) in text or opts.model_name in text  # the page is about the object
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{url} shows {leaked}"
    model_admin = site._registry[model]
    if hasattr(model_admin, "get_export_data"):
        request = RequestFactory().get("/")
        request.user = carol
        queryset = model_admin.get_export_queryset(request)
        csv = model_admin.get_export_data(ExcelCSV(), request, queryset, encoding="utf-8").decode("utf-8-sig")
        xlsx = _xlsx_text(model_admin.get_export_data(XLSX(), request, queryset))
        for text, kind in ((csv, "csv"), (xlsx, "xlsx")):
            assert not [s for s in secrets if s in text], f"{kind} export of {opts.label}"
