"""Loading next year's holidays from a spreadsheet laid out as staff type it: all or nothing, with each
problem named by row and column in Chinese; the working-day clock uses the new days at once."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import CalendarOverride
from casework.selectors.clock import work_calendar
from tests.factories import JINCHENG, QINSHUI

URL = "admin:casework_calendaroverride_import"
D = dt.date.fromisoformat


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


NATIONAL_DAY_2027 = [
    ["日期", "类型", "名称"],
    [dt.datetime(2027, 10, 1), "休息日", "国庆节"],  # a real date cell, as Excel stores it
    ["2027-10-04", "休息日", "国庆节"],
    ["2027/10/5", "休息日", "国庆节"],
    ["2027年10月9日", "调休上班日", "国庆节"],
]


def upload(client, content: bytes, name: str = "2027.xlsx", **extra):
    return client.post(reverse(URL), {"file": SimpleUploadedFile(name, content), **extra})


def test_it_loads_a_countys_holidays_and_the_clock_counts_with_them(client_for, alice):
    response = upload(client_for(alice), xlsx(NATIONAL_DAY_2027))
    assert response.status_code == 302
    rows = CalendarOverride.objects.filter(region_id=QINSHUI).order_by("date")
    assert [(r.date, r.is_workday, r.name) for r in rows] == [
        (D("2027-10-01"), False, "国庆节"),
        (D("2027-10-04"), False, "国庆节"),
        (D("2027-10-05"), False, "国庆节"),
        (D("2027-10-09"), True, "国庆节"),
    ]
    calendar = work_calendar(QINSHUI)
    assert not calendar.is_workday(D("2027-10-04")) and calendar.is_workday(D("2027-10-09"))  # a Saturday


def test_it_reads_a_csv_saved_by_wps_in_gbk_and_replaces_days_already_entered(client_for, alice):
    CalendarOverride.objects.create(date=D("2027-01-01"), is_workday=True, name="错的", region_id=QINSHUI)
    content = "日期,类型,名称\n2027-01-01,休息日,元旦\n".encode("gb18030")
    assert upload(client_for(alice), content, "2027.csv").status_code == 302
    row = CalendarOverride.objects.get(date=D("2027-01-01"), region_id=QINSHUI)
    assert (row.is_workday, row.name) == (False, "元旦")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["日期", "类型", "名称"], ["2027-02-30", "休息日", "春节"]], "第2行“日期”列"),
        ([["日期", "类型", "名称"], ["2027-02-10", "放半天", "春节"]], "第2行“类型”列"),
        (
            [["日期", "类型", "名称"], ["2027-02-10", "休息日", "春节"], ["2027-02-10", "休息日", "春节"]],
            "第3行“日期”列",
        ),
        ([["日子", "类型"], ["2027-02-10", "休息日"]], "“日期”"),
    ],
)
def test_it_names_the_row_and_column_of_every_problem_and_writes_nothing(client_for, alice, rows, message):
    good = [["2027-02-11", "休息日", "春节"]]
    response = upload(client_for(alice), xlsx(rows + good))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_it_refuses_a_file_that_is_not_a_spreadsheet(client_for, alice):
    response = upload(client_for(alice), b"%PDF-1.4", "2027.pdf")
    assert response.status_code == 400 and "XLSX" in response.content.decode()


def test_county_staff_import_for_their_own_county_only(client_for, alice):
    upload(client_for(alice), xlsx(NATIONAL_DAY_2027), county="140522")  # a county field they do not have
    assert set(CalendarOverride.objects.values_list("region_id", flat=True)) == {QINSHUI}


def test_a_superuser_loads_the_national_calendar(client_for, root):
    assert upload(client_for(root), xlsx(NATIONAL_DAY_2027)).status_code == 302
    assert CalendarOverride.objects.filter(region__isnull=True).count() == 4


def test_city_staff_import_for_every_county_below_them_and_station_managers_may_not(client_for, carol, dave):
    assert upload(client_for(carol), xlsx(NATIONAL_DAY_2027), county="140522").status_code == 302
    assert set(CalendarOverride.objects.values_list("region_id", flat=True)) == {JINCHENG}  # their own city
    assert not work_calendar(QINSHUI).is_workday(D("2027-10-04"))
    assert client_for(dave).get(reverse(URL)).status_code == 403


def test_the_list_links_to_the_import_for_county_staff(client_for, alice):
    page = client_for(alice).get(reverse("admin:casework_calendaroverride_changelist")).content.decode()
    assert reverse(URL) in page
