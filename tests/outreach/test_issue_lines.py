"""What the issue asks beyond the register: an event's attendance and suggestions in the station's activity
log and star-rating facts, the founded union's first roster from the employer, the headline targets' progress
on the workbench, visit photos through the checked upload, and an employer under another code refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from dashboard.selectors.workbench import workbench_items
from dashboard.services.snapshots import dashboard_refresh
from membership.models import RosterImport
from outreach.models import Employer, Visit, VisitPhoto
from outreach.services import checkin_scan, event_attendance_sync, signup_create
from stations.models import VisitorCount
from stations.services.ratings import _StationFacts
from tests.factories import QINSHUI
from tests.outreach import factories as f
from tests.stations.scope_cases import station_in

pytestmark = pytest.mark.django_db


def test_attendance_and_suggestions_feed_the_activity_log_and_the_star_rating_facts(people):
    station = station_in(QINSHUI, people)
    event = f.event(station=station)
    for n in range(3):
        signup = signup_create(event=event, name=f"职工{n}", mobile=f"1390000000{n}", consent=True)
        checkin_scan(event=event, code=signup.code, scan_id=f"s{n}", user=people["dave"])
        checkin_scan(event=event, code=signup.code, scan_id=f"s{n}-again", user=people["dave"])  # counted once
    event.suggestions = 4
    event.save()
    activity = event_attendance_sync(event=event, user=people["dave"])
    assert (activity.participants, activity.suggestions, activity.station_id) == (3, 4, station.pk)
    today = timezone.localdate()
    assert VisitorCount.objects.get(station=station, date=activity.date).visitors == 3
    facts = _StationFacts(station, today)
    assert facts.get("activities") == 1 and facts.get("visitors") == 3
    VisitorCount.objects.filter(station=station).update(visitors=40)  # the manager's own figure stands
    event_attendance_sync(event=event)
    assert VisitorCount.objects.get(station=station).visitors == 40


def test_the_founded_union_takes_its_first_roster_from_the_employer_page(alice, client_for):
    employer = f.employer(name="味来酒业")
    client = client_for(alice)
    client.post(reverse("admin:outreach_employer_found", args=[employer.pk]), {"name": "", "chair": "王丽"})
    employer.refresh_from_db()
    assert employer.union.credit_code == employer.credit_code
    page = client.get(reverse("admin:outreach_employer_change", args=[employer.pk])).content.decode()
    roster_url = f"{reverse('admin:membership_rosterimport_add')}?union={employer.credit_code}"
    assert roster_url in page
    upload = client.get(roster_url).content.decode()
    assert f'name="union" value="{employer.credit_code}"' in upload
    content = "姓名,身份证号\n".encode()
    client.post(roster_url, {"file": SimpleUploadedFile("首批会员.csv", content), "union": employer.credit_code})
    assert RosterImport.objects.get().default_union == employer.credit_code


def test_the_workbench_shows_the_headline_targets_progress(alice, client_for):
    done = f.project(headline=True, target=1, title="100个职工之家")
    f.project(headline=True, target=5, title="100场技能竞赛")
    f.event(project=done)
    labels = [item.label for item in workbench_items(alice) if item is not None]
    assert "本年度县级重点目标（2 项中已完成 1 项）" in labels
    client_for(alice).get(reverse("dashboard"))  # asks for the figures of alice's reach
    dashboard_refresh()  # the dashboard shows what its refresh job stored
    dashboard = client_for(alice).get(reverse("dashboard")).content.decode()
    assert 'id="outreach-targets"' in dashboard and "100个职工之家" in dashboard


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    return out.getvalue()


def test_visit_photos_go_through_the_checked_upload_and_a_scoped_download(alice, bob, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    employer = f.employer()
    team = f.team()
    client = client_for(alice)
    data = {
        "employer": employer.pk,
        "team": team.pk,
        "visited_on": timezone.localdate().isoformat(),
        "visitors": "王丽",
        "met": "总经理",
        "said": "介绍建会",
        "next_step": "",
        "outcome": "willing",
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
    }
    url = reverse("admin:outreach_visit_add")
    bad = client.post(url, {**data, "new_photos": SimpleUploadedFile("a.jpg", b"not a photo")})
    assert bad.status_code == 200 and "不是照片" in bad.content.decode()
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()
    good = client.post(url, {**data, "new_photos": SimpleUploadedFile("a.png", _png())})
    assert good.status_code == 302, good.content.decode()[:2000]
    photo = VisitPhoto.objects.get()
    download = reverse("admin:outreach_visit_photo", args=[photo.pk])
    served = client.get(download)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served.content.startswith(b"\xff\xd8")  # re-encoded as JPEG, EXIF dropped
    assert client_for(bob).get(download).status_code == 404
    employer.refresh_from_db()
    assert employer.stage == "willing"


def test_an_employer_already_registered_under_another_code_is_refused_in_chinese(alice, client_for):
    f.employer(name="嘉峰老店", credit_code=f.code(31))
    page = client_for(alice).post(
        reverse("admin:outreach_employer_add"),
        {"credit_code": f.code(32), "name": "嘉峰老店", "town": "140521104", "industry": "other", "workers": 3,
         "stage": "none"},
    )  # fmt: skip
    assert page.status_code == 200, page
    assert f"“嘉峰老店”已在本乡镇以信用代码 {f.code(31)} 登记。" in page.content.decode()
    assert Employer.objects.count() == 1
