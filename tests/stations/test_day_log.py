"""The station manager's day log on the workbench: today's activity, visitors and photos in one form, scoped
to the stations that list them as manager; photos checked by content, scaled down, re-encoded without EXIF,
and shown to county staff through the scoped download."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from stations.models import Activity, ActivityKind, ActivityPhoto, VisitorCount
from tests.factories import TOWN_OF, YANGCHENG
from tests.stations.factories import ActivityFactory, StationFactory, ensure_catalogues


@pytest.fixture(autouse=True)
def media(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogues()


@pytest.fixture
def daves_station(dave):
    return StationFactory(name="嘉峰镇工会驿站", managers=[dave])


def photo(name="p.jpg", size=(3000, 2000), fmt="JPEG", exif=True):
    image = Image.new("RGB", size, (200, 40, 40))
    out = io.BytesIO()
    kwargs = {}
    if exif and fmt == "JPEG":
        tags = Image.Exif()
        tags[0x0110] = "Secret Phone Model"  # Model
        tags[0x0112] = 6  # Orientation: rotate 90°
        kwargs["exif"] = tags.tobytes()
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def day_data(station, **extra):
    return {
        "station": station.pk,
        "kind": ActivityKind.objects.get(code="summer_cooling").pk,
        "title": "夏季送清凉",
        "participants": "45",
        "visitors": "120",
        "notes": "",
        **extra,
    }


def test_it_shows_the_form_and_recent_entries_on_the_station_managers_workbench(dave, daves_station, client_for):
    ActivityFactory(station=daves_station, title="上周观影")
    ActivityFactory(station=StationFactory(), title="别人的活动")
    html = client_for(dave).get(reverse("admin:index")).content.decode()
    assert 'id="day-log-form"' in html and 'enctype="multipart/form-data"' in html
    assert 'inputmode="numeric"' in html
    assert "上周观影" in html and "别人的活动" not in html


def test_it_is_not_on_county_staffs_workbench(alice, client_for):
    assert 'id="day-log-form"' not in client_for(alice).get(reverse("admin:index")).content.decode()


def test_it_records_the_activity_the_visitors_and_resized_photos_without_exif(dave, daves_station, client_for):
    data = day_data(daves_station, photos=[photo(), photo("b.png", (800, 600), "PNG")])
    response = client_for(dave).post(reverse("admin:stations_activity_day"), data)
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    activity = Activity.objects.get(title="夏季送清凉")
    assert activity.station == daves_station and activity.created_by == dave
    assert activity.date == timezone.localdate() and activity.participants == 45
    assert VisitorCount.objects.get(station=daves_station, date=timezone.localdate()).visitors == 120
    photos = list(activity.photos.order_by("pk"))
    assert len(photos) == 2
    with photos[0].file.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600
        assert stored.size == (1067, 1600)  # turned upright by its orientation tag, then scaled
        assert not stored.getexif()
    assert (photos[1].width, photos[1].height) == (800, 600)


def test_a_second_entry_the_same_day_corrects_the_visitor_count(dave, daves_station, client_for):
    client = client_for(dave)
    client.post(reverse("admin:stations_activity_day"), day_data(daves_station))
    client.post(reverse("admin:stations_activity_day"), day_data(daves_station, title="义诊", visitors="150"))
    assert VisitorCount.objects.get(station=daves_station).visitors == 150
    assert Activity.objects.filter(station=daves_station).count() == 2


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg"), "不是照片"),
        (SimpleUploadedFile("x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"), "不是照片"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_beside_the_field_and_nothing_is_written(
    dave, daves_station, client_for, upload, message
):
    response = client_for(dave).post(reverse("admin:stations_activity_day"), day_data(daves_station, photos=[upload]))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_photos_error"' in html and message in html
    assert not Activity.objects.exists() and not VisitorCount.objects.exists() and not ActivityPhoto.objects.exists()


def test_a_photo_over_the_size_limit_is_refused_in_chinese(dave, daves_station, client_for, settings):
    settings.STATION_PHOTO_MAX_BYTES = 64 * 1024
    big = photo(size=(2400, 2400), exif=False)
    big = SimpleUploadedFile("big.jpg", big.read() + b"\0" * (65 * 1024), content_type="image/jpeg")
    response = client_for(dave).post(reverse("admin:stations_activity_day"), day_data(daves_station, photos=[big]))
    assert response.status_code == 400
    assert "“big.jpg”大于" in response.content.decode()
    assert not Activity.objects.exists()


def test_bad_numbers_are_refused_beside_their_fields(dave, daves_station, client_for):
    data = day_data(daves_station, participants="-3", visitors="很多", title="")
    response = client_for(dave).post(reverse("admin:stations_activity_day"), data)
    html = response.content.decode()
    assert response.status_code == 400
    for field in ("participants", "visitors", "title"):
        assert f'id="id_{field}_error"' in html
    assert not Activity.objects.exists()


def test_a_manager_cannot_log_for_a_station_they_do_not_manage(dave, daves_station, client_for):
    other = StationFactory(name="别人的驿站")
    response = client_for(dave).post(reverse("admin:stations_activity_day"), day_data(other))
    assert response.status_code == 400 and 'id="id_station_error"' in response.content.decode()
    assert not Activity.objects.exists()


def test_county_staff_see_the_photos_on_the_activity_page_and_other_counties_cannot_fetch_them(
    dave, daves_station, alice, bob, client_for
):
    client_for(dave).post(reverse("admin:stations_activity_day"), day_data(daves_station, photos=[photo()]))
    picture = ActivityPhoto.objects.get()
    url = reverse("admin:stations_activity_photo", args=[picture.pk])
    client = client_for(alice)
    page = client.get(reverse("admin:stations_activity_change", args=[picture.activity_id])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response).startswith(b"\xff\xd8\xff")
    assert client_for(bob).get(url).status_code == 404


def test_the_form_offers_only_the_managers_own_stations(dave, daves_station, client_for):
    StationFactory(name="阳城的驿站", region_id=TOWN_OF[YANGCHENG])
    html = client_for(dave).get(reverse("admin:stations_activity_day")).content.decode()
    assert "嘉峰镇工会驿站" in html and "阳城的驿站" not in html


def test_a_full_disk_on_the_second_photo_is_a_message_beside_the_photos_and_leaves_no_file(
    dave, daves_station, client_for, tmp_path, monkeypatch
):
    import errno

    from unionhub import storage

    original, saved = storage.SafeFileSystemStorage._save, []

    def second_fails(self, name, content):
        if saved:
            raise storage.UploadWriteError(errno.ENOSPC, "No space left on device")
        saved.append(name)
        return original(self, name, content)

    monkeypatch.setattr(storage.SafeFileSystemStorage, "_save", second_fails)
    data = day_data(daves_station, photos=[photo(), photo("b.png", (800, 600), "PNG")])
    response = client_for(dave).post(reverse("admin:stations_activity_day"), data)
    assert response.status_code == 400
    assert "没有空间" in " ".join(response.context["day_form"].errors["photos"])
    assert 'id="id_photos_error"' in response.content.decode()
    assert not Activity.objects.exists() and not ActivityPhoto.objects.exists()
    assert saved and not [p for p in tmp_path.rglob("*") if p.is_file()]  # the first photo's file removed too
