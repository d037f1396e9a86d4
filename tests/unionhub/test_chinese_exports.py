"""django-import-export in Chinese, for every resource in the project: headers are verbose names, values are
choice labels and 是/否, the sheet is named after the model, the file after the model and the local date; the
export and import pages list the Chinese headers; an export imports back (Chinese headers, labels)."""

import datetime as dt
import io
import re

import openpyxl
import pytest
import tablib
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from import_export.formats.base_formats import XLSX

from stations.models import Station
from stations.resources import StationResource
from tests.factories import JIAFENG
from tests.stations.factories import StationFactory, ensure_catalogues
from tests.unionhub.test_chinese_everywhere import english_words
from unionhub.resources import ScopedResource

pytestmark = pytest.mark.django_db

RESOURCES = sorted(
    {cls for ma in site._registry.values() for cls in getattr(ma, "resource_classes", []) or []},
    key=lambda cls: cls.__name__,
)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def station(regions):
    ensure_catalogues()
    return StationFactory(region_id=JIAFENG, name="嘉峰镇工会驿站", kind="rest", open_24h=True, status="operating")


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda cls: cls.__name__)
def test_every_resource_writes_chinese_headers(resource, alice):
    assert issubclass(resource, ScopedResource)
    headers = resource(user=alice).get_export_headers()
    assert headers and all(CJK.search(h) for h in headers), headers
    assert len(set(headers)) == len(headers)


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda cls: cls.__name__)
def test_every_resources_sheet_is_named_after_its_model(resource, alice):
    dataset = resource(user=alice).export()
    assert dataset.title == str(resource._meta.model._meta.verbose_name_plural)
    assert dataset.title != "Tablib Dataset"


def test_the_station_export_writes_labels_a_named_sheet_and_a_local_date(station, alice, monkeypatch):
    # 20:30 UTC on 1 December is 04:30 on 2 December in Shanghai: the file is dated the 2nd.
    late = dt.datetime(2026, 12, 1, 20, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late)
    model_admin = site._registry[Station]
    request = request_for(alice)
    content = model_admin.get_export_data(XLSX(), request, model_admin.get_export_queryset(request))
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet.title == "站点"
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["站点编码", "名称", "类型", "乡镇（街道）代码"]
    assert not {"code", "region_code", "kind", "open_24h"} & set(header)
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["类型"] == "工会驿站" and row["24小时开放"] == "是" and row["状态"] == "运营中"
    assert model_admin.get_export_filename(request, None, XLSX()) == "站点-2026-12-02.xlsx"


def test_the_export_download_keeps_the_chinese_file_name(station, alice, client_for):
    client = client_for(alice)
    url = reverse("admin:stations_station_export")
    fields = {f"stationresource_{name}": "on" for name in StationResource().fields}
    response = client.post(url, {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200, response.content[:300]
    disposition = response["Content-Disposition"]
    assert "filename*=UTF-8''%E7%AB%99%E7%82%B9-" in disposition  # 站点-
    assert f"{timezone.localdate():%Y-%m-%d}.xlsx" in disposition


def test_the_export_and_import_pages_list_the_chinese_headers(station, alice, client_for):
    client = client_for(alice)
    for name in ("admin:stations_station_export", "admin:stations_station_import"):
        html = client.get(reverse(name)).content.decode()
        assert "站点编码" in html and "乡镇（街道）代码" in html
        assert not english_words(html), (name, english_words(html))


def test_an_export_imports_back_with_its_chinese_headers_and_labels(station, alice):
    exported = StationResource(user=alice).export()
    assert "站点编码" in exported.headers
    # A person corrects a name in the sheet and imports it back.
    edited = tablib.Dataset(headers=exported.headers)
    row = list(exported[0])
    row[exported.headers.index("名称")] = "嘉峰镇工会驿站（新址）"
    edited.append(row)
    result = StationResource(user=alice).import_data(edited, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), [
        (r.number, r.error_dict) for r in result.invalid_rows
    ]
    station.refresh_from_db()
    assert station.name == "嘉峰镇工会驿站（新址）" and station.kind == "rest" and station.open_24h is True
    assert Station.objects.count() == 1


def test_the_old_english_headers_still_import(station, alice):
    data = tablib.Dataset(headers=["code", "name", "kind", "region_code", "address", "open_24h"])
    data.append(["", "龙港镇环卫驿站", "工会驿站", "140521100", "龙港镇新华街2号", "否"])
    result = StationResource(user=alice).import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Station.objects.get(name="龙港镇环卫驿站").open_24h is False


def test_every_admin_that_exports_names_its_own_resource():
    """An admin left to the library's default resource would export English, unscoped columns."""
    exporting = [ma for ma in site._registry.values() if hasattr(ma, "get_export_resource_classes")]
    assert exporting
    assert not [type(ma).__name__ for ma in exporting if not ma.resource_classes]
