"""The station registry and logs as county staff and station managers use them in the admin."""

import datetime as dt

import pytest
import tablib
from django.urls import reverse

from stations.choices import StationStatus
from stations.models import Activity, Station
from stations.resources import StationResource
from tests.admin_forms import change_form_data
from tests.factories import JIAFENG, QINSHUI, RUNCHENG, TOWN_OF
from tests.stations.factories import ActivityFactory, StationFactory, basic_facilities, ensure_catalogues


@pytest.fixture(autouse=True)
def catalogues(db):
    ensure_catalogues()


@pytest.fixture
def daves_station(dave):
    return StationFactory(name="嘉峰镇工会驿站", managers=[dave])


def activity_data(station, **extra):
    from stations.models import ActivityKind

    return {
        "station": station.pk,
        "kind": ActivityKind.objects.get(code="summer_cooling").pk,
        "date": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "title": "夏季送清凉",
        "participants": 45,
        "suggestions": 3,
        "notes": "",
        **extra,
    }


def test_a_station_manager_logs_an_activity_for_their_station(dave, daves_station, client_for):
    response = client_for(dave).post(reverse("admin:stations_activity_add"), activity_data(daves_station))
    assert response.status_code == 302
    activity = Activity.objects.get(title="夏季送清凉")
    assert activity.station == daves_station and activity.created_by == dave


def test_a_station_manager_cannot_log_for_another_station(dave, daves_station, client_for):
    other = StationFactory(name="别人的驿站")
    response = client_for(dave).post(reverse("admin:stations_activity_add"), activity_data(other))
    assert response.status_code == 200
    assert not Activity.objects.filter(station=other).exists()


def test_a_station_manager_cannot_open_another_stations_log(dave, daves_station, client_for):
    theirs = ActivityFactory(station=StationFactory())
    response = client_for(dave).get(reverse("admin:stations_activity_change", args=[theirs.pk]))
    assert response.status_code == 302


def test_a_station_manager_cannot_change_status_plaque_or_money(dave, daves_station, client_for):
    client = client_for(dave)
    url = reverse("admin:stations_station_change", args=[daves_station.pk])
    data = change_form_data(client, url)
    assert "plaque_number" not in data and "new_status" not in data and "funding-TOTAL_FORMS" not in data
    data.update({"phone": ["0356-7021234"], "plaque_number": ["QS-999"], "new_status": ["delisted"], "name": ["改名"]})
    assert client.post(url, data).status_code == 302
    daves_station.refresh_from_db()
    assert daves_station.phone == "0356-7021234"
    assert daves_station.plaque_number == "" and daves_station.name == "嘉峰镇工会驿站"
    assert daves_station.status == StationStatus.OPERATING


def test_county_staff_register_a_station_and_start_building_it(alice, client_for):
    client = client_for(alice)
    data = change_form_data(client, reverse("admin:stations_station_add"))
    data.update(
        {
            "name": ["郑庄镇快递小哥驿站"],
            "kind": ["rest"],
            "region": ["140521102"],
            "address": ["郑庄镇商贸街18号"],
            "latitude": ["35.79"],
            "longitude": ["112.39"],
            "area_m2": ["35"],
            "new_status": ["building"],
            "status_reason": ["选址完成，开工建设"],
            "facilities": [str(f.pk) for f in basic_facilities("rest")],
        }
    )
    response = client.post(reverse("admin:stations_station_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    station = Station.objects.get(name="郑庄镇快递小哥驿站")
    assert station.code == "140521102-R-001"
    assert station.status == StationStatus.BUILDING and station.is_complete
    assert station.status_changes.get().reason == "选址完成，开工建设"


def test_a_small_workshop_stop_gets_a_message_next_to_the_area_and_nothing_is_saved(alice, client_for):
    client = client_for(alice)
    data = change_form_data(client, reverse("admin:stations_station_add"))
    data.update(
        {"name": ["车间小站"], "kind": ["workshop"], "region": [JIAFENG], "address": ["厂区"], "area_m2": ["12"]}
    )
    response = client.post(reverse("admin:stations_station_add"), data)
    assert response.status_code == 200
    assert "area_m2" in response.context["adminform"].form.errors
    assert not Station.objects.filter(name="车间小站").exists()


def test_overlapping_opening_hours_are_refused_in_the_form(alice, client_for):
    station = StationFactory()
    client = client_for(alice)
    url = reverse("admin:stations_station_change", args=[station.pk])
    data = change_form_data(client, url)
    data.update(
        {
            "opening_hours-TOTAL_FORMS": ["2"],
            "opening_hours-0-weekday": ["0"],
            "opening_hours-0-opens": ["08:00"],
            "opening_hours-0-closes": ["12:00"],
            "opening_hours-1-weekday": ["0"],
            "opening_hours-1-opens": ["11:00"],
            "opening_hours-1-closes": ["18:00"],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert not station.opening_hours.exists()


def test_the_list_marks_overdue_rectification_and_incomplete_stations(alice, client_for):
    from tests.stations.factories import RectificationFactory

    RectificationFactory(station=StationFactory(name="逾期驿站"))
    StationFactory(name="缺设施驿站", facilities=[], is_complete=False, missing_items="微波炉")
    client = client_for(alice)
    text = client.get(reverse("admin:stations_station_changelist")).content.decode()
    assert "uh-bad" in text and "微波炉" in text
    overdue = client.get(reverse("admin:stations_station_changelist"), {"rectification": "overdue"})
    assert [s.name for s in overdue.context["cl"].result_list] == ["逾期驿站"]


def test_utilisation_shows_months_and_inactive_stations(alice, client_for):
    busy = StationFactory(name="热闹驿站")
    ActivityFactory(station=busy)
    StationFactory(name="冷清驿站")
    response = client_for(alice).get(reverse("admin:stations_station_utilisation"))
    assert response.status_code == 200
    inactive = {
        row["station"].name for row in response.context["rows"] if row["station"].pk in response.context["inactive"]
    }
    assert inactive == {"冷清驿站"}
    inactive_list = client_for(alice).get(reverse("admin:stations_station_changelist"), {"inactive": "yes"})
    assert [s.name for s in inactive_list.context["cl"].result_list] == ["冷清驿站"]


HEADERS = ["code", "name", "kind", "region_code", "host", "address", "latitude", "longitude", "area_m2", "open_24h"]


def test_station_import_by_natural_keys(alice):
    data = tablib.Dataset(headers=HEADERS)
    data.append(["", "龙港镇环卫驿站", "工会驿站", "140521100", "", "龙港镇新华街2号", "35.70", "112.21", "30", "1"])
    data.append(["", "龙港镇第二驿站", "rest", "140521100", "", "龙港镇", "", "", "25", "0"])
    result = StationResource(user=alice).import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    codes = sorted(Station.objects.values_list("code", flat=True))
    assert codes == ["140521100-R-001", "140521100-R-002"]


def test_a_station_import_with_bad_rows_writes_nothing_and_names_each_row_and_column(alice):
    data = tablib.Dataset(headers=HEADERS)
    data.append(["", "好的驿站", "rest", "140521100", "", "龙港镇", "35.7", "112.2", "30", "0"])
    data.append(["", "坐标错", "rest", "140521100", "", "龙港镇", "112.2", "35.7", "30", "0"])
    data.append(["", "别县的", "rest", RUNCHENG, "", "润城镇", "", "", "30", "0"])
    data.append(["", "类型错", "驿站呀", "140521100", "", "龙港镇", "", "", "30", "0"])
    result = StationResource(user=alice).import_data(data, dry_run=False)
    assert result.has_validation_errors()
    assert not Station.objects.exists()
    bad = {row.number: row for row in result.invalid_rows}
    assert set(bad) == {2, 3, 4}
    assert "latitude" in bad[2].field_specific_errors
    assert "region" in bad[3].field_specific_errors or "region_code" in str(bad[3].error_dict)
    assert "kind" in bad[4].field_specific_errors


def test_exports_neutralise_formulas(alice):
    StationFactory(name='=HYPERLINK("http://x")', region_id=TOWN_OF[QINSHUI])
    text = StationResource(user=alice).export().export("csv")
    assert "'=HYPERLINK" in text


def test_star_levels_filter_by_stars_shown_as_stars(client_for, alice):
    from tests.stations.rating_factories import give_stars

    give_stars(StationFactory(name="三星驿站", region_id=JIAFENG), 3, dt.date(2026, 1, 1))
    give_stars(StationFactory(name="一星驿站", region_id=JIAFENG), 1, dt.date(2026, 1, 1))
    response = client_for(alice).get(reverse("admin:stations_starrating_changelist"), {"stars": "3"})
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert [r.station.name for r in changelist.result_list] == ["三星驿站"]
    (spec,) = [spec for spec in changelist.filter_specs if getattr(spec, "parameter_name", "") == "stars"]
    labels = [choice["display"] for choice in spec.choices(changelist)]
    assert labels[1:4] == ["★★★★★", "★★★★", "★★★"] and labels[-1] == "无星级"


def test_a_station_import_cannot_attach_another_countys_own_facility(bob):
    """Finding 4: 阳城县 staff naming 沁水县's own catalogue entry get an error on that row, not the facility."""
    from stations.models import Facility

    ensure_catalogues()
    theirs = Facility.objects.create(code="qinshui-only", name="沁水自建设施", region_id=QINSHUI)
    data = tablib.Dataset(headers=[*HEADERS, "facilities"])
    data.append(["", "阳城驿站", "rest", TOWN_OF["140522"], "", "阳城", "", "", "30", "0", theirs.name])
    result = StationResource(user=bob).import_data(data, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not Station.objects.filter(facilities=theirs).exists()
