"""A roster naming a person who is a member in another county: alice (沁水县) is told only "already a member
elsewhere", never which county, union, card or mobile; the import sends a transfer request that bob's county
(阳城县, which holds the member) decides, as the public join path does. A member of another union inside
alice's own county stays a candidate she may open and move herself."""

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from membership import services as application_services
from membership.choices import ApplicationStatus, Channel
from membership.models import ImportMode, ImportStatus, Member, MembershipApplication, RosterImport
from membership.services import roster as services
from membership.services.roster_transfers import roster_transfer_notes
from tests.factories import QINSHUI, YANGCHENG
from tests.membership.factories import MemberFactory, resident_id, union_in
from unionhub.models import Region
from unionhub.personal import MOBILE, mask
from unionhub.scoping import scope_queryset

UNION = "嘉峰煤矿工会"
HEADER = "姓名,身份证号,手机号,所属工会"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def elsewhere(db):
    """赵晓磊, a member of a union in 阳城县 with a card number and a registered mobile number."""
    return MemberFactory(union=union_in(YANGCHENG, name="阳城县润城镇某公司工会"), name="赵晓磊", mobile="13955557777")


def secrets_of(member: Member) -> list[str]:
    county = Region.objects.get(code=member.union.region_id[:6]).name
    return [
        member.union.name,
        member.card_number,
        county,
        member.mobile,
        mask(member.mobile, MOBILE),
        member.name,
        str(member.pk) + "/change",
    ]


def roster_bytes(*lines) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def uploaded(client, content: bytes, capture) -> RosterImport:
    with capture(execute=True):  # the check job runs when the upload commits
        client.post(
            reverse("admin:membership_rosterimport_add"),
            {"file": SimpleUploadedFile("花名册.csv", content), "mode": ImportMode.ALL_OR_NOTHING},
        )
    return RosterImport.objects.latest("pk")


def test_nothing_of_the_other_countys_record_shows_in_the_preview_the_error_workbook_or_the_command(
    alice, elsewhere, client_for, django_capture_on_commit_callbacks, tmp_path, capsys
):
    union_in(QINSHUI, name=UNION)
    content = roster_bytes(
        f"赵磊,{elsewhere.resident_id},13800001111,{UNION}",  # the roster's own name and mobile for him
        f"李娜,{resident_id()},12,{UNION}",  # an error row, so that there is an error workbook
        f"王芳,{resident_id()},13800002222,{UNION}",
    )
    client = client_for(alice)
    roster = uploaded(client, content, django_capture_on_commit_callbacks)
    assert (roster.status, roster.transfers, roster.errors, roster.created) == (ImportStatus.PREVIEWED, 1, 1, 1)

    page = client.get(reverse("admin:membership_rosterimport_change", args=[roster.pk])).content.decode()
    assert "已是其他地区的会员：确认导入后，将向会员所在县的总工会发送转会申请。" in page
    workbook = client.get(reverse("admin:membership_rosterimport_errors", args=[roster.pk])).content
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    assert any(cell == "12" for cell in cells)  # the error row is there, the transfer row is not an error
    path = tmp_path / "花名册.csv"
    path.write_bytes(content)
    call_command("roster_check", str(path), "--user", "alice", "--format", "json")
    report = capsys.readouterr().out
    (verdict,) = [row for row in json.loads(report)["rows"] if row["row"] == 2]
    assert verdict["verdict"] == "skip" and "转会申请" in verdict["problems"][0]["message"]
    out, err = io.StringIO(), io.StringIO()
    call_command("roster_import", str(path), "--user", "alice", "--valid-only", stdout=out, stderr=err)
    imported = out.getvalue() + err.getvalue()
    assert json.loads(out.getvalue())["transfers"] == 1
    for secret in secrets_of(elsewhere):
        assert secret not in page, secret
        assert not any(secret in cell for cell in cells), secret
        assert secret not in report, secret
        assert secret not in imported, secret


def test_the_import_sends_a_transfer_request_that_only_the_members_county_sees_and_decides(
    alice, bob, elsewhere, client_for, django_capture_on_commit_callbacks
):
    union = union_in(QINSHUI, name=UNION)
    content = roster_bytes(f"赵磊,{elsewhere.resident_id},{elsewhere.mobile},{UNION}", f"王芳,{resident_id()},,{UNION}")
    client = client_for(alice)
    roster = uploaded(client, content, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:membership_rosterimport_confirm", args=[roster.pk]), {"mode": "all"})
    roster.refresh_from_db()
    assert roster.status == ImportStatus.DONE and roster.created == 1 and roster.transfers == 1
    page = client.get(reverse("admin:membership_rosterimport_change", args=[roster.pk])).content.decode()
    assert "已向会员所在县的总工会发送转会申请" in page

    request = MembershipApplication.objects.get()
    assert (request.channel, request.county_id, request.union, request.status) == (
        Channel.ROSTER,
        YANGCHENG,
        union,
        ApplicationStatus.PENDING,
    )
    assert request.name == "赵磊" and request.mobile == elsewhere.mobile  # what the roster said, nothing more
    assert not scope_queryset(MembershipApplication.objects.all(), alice).exists()  # decided by bob's county
    assert scope_queryset(MembershipApplication.objects.all(), bob).get() == request
    change = reverse("admin:membership_membershipapplication_change", args=[request.pk])
    assert client.get(change).status_code == 302  # alice: as if it did not exist
    review = client_for(bob).get(change)
    assert review.status_code == 200 and "会员花名册导入" in review.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.union.name == "阳城县润城镇某公司工会"  # nothing moved until bob's county decides

    member = application_services.application_approve(application=request, by=bob)
    elsewhere.refresh_from_db()
    assert member == elsewhere and elsewhere.union == union and Member.objects.count() == 2
    assert elsewhere.name == "赵晓磊"  # the register's record, moved with its card number, not overwritten


def test_a_transfer_request_is_sent_once_and_never_without_a_mobile_number(
    alice, elsewhere, client_for, django_capture_on_commit_callbacks
):
    union_in(QINSHUI, name=UNION)
    other = MemberFactory(union=elsewhere.union)
    content = roster_bytes(f"赵磊,{elsewhere.resident_id},13800001111,{UNION}", f"某人,{other.resident_id},,{UNION}")
    client = client_for(alice)
    for _attempt in range(2):  # the same roster imported twice
        roster = uploaded(client, content, django_capture_on_commit_callbacks)
        page = client.get(reverse("admin:membership_rosterimport_change", args=[roster.pk])).content.decode()
        assert "未填写手机号，无法发送转会申请" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("admin:membership_rosterimport_confirm", args=[roster.pk]), {"mode": "all"})
        assert RosterImport.objects.get(pk=roster.pk).status == ImportStatus.DONE
    assert list(MembershipApplication.objects.values_list("resident_id", flat=True)) == [elsewhere.resident_id]


def test_a_member_of_another_union_in_the_same_county_is_shown_with_a_link_and_not_moved(
    alice, client_for, django_capture_on_commit_callbacks
):
    union_in(QINSHUI, name=UNION)
    here = MemberFactory(union=union_in(QINSHUI, name="端氏镇工会"), name="赵磊")
    client = client_for(alice)
    roster = uploaded(client, roster_bytes(f"赵磊,{here.resident_id},,{UNION}"), django_capture_on_commit_callbacks)
    page = client.get(reverse("admin:membership_rosterimport_change", args=[roster.pk])).content.decode()
    assert "端氏镇工会" in page and reverse("admin:membership_member_change", args=[here.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:membership_rosterimport_confirm", args=[roster.pk]), {"mode": "all"})
    here.refresh_from_db()
    assert here.union.name == "端氏镇工会" and not MembershipApplication.objects.exists()


def test_through_the_service_a_member_elsewhere_is_named_without_their_union_and_not_moved(alice):
    union_in(QINSHUI, name=UNION)
    elsewhere = MemberFactory(union=union_in(YANGCHENG, name="阳城县某公司工会"))
    content = roster_bytes(f"赵磊,{elsewhere.resident_id},,{UNION}")
    roster = services.roster_import_create(
        file=SimpleUploadedFile("r.csv", content), by=alice, mode=ImportMode.VALID_ONLY
    )
    roster = services.roster_preview(roster=roster)
    assert roster.transfers == 1 and roster.errors == 0
    (candidate,) = roster_transfer_notes(roster=roster, user=alice)
    assert candidate.member is None and "阳城" not in candidate.message  # alice is not told which union
    services.roster_apply(roster=roster, by=alice)
    elsewhere.refresh_from_db()
    assert elsewhere.union.name == "阳城县某公司工会" and elsewhere.name != "赵磊"
    assert not MembershipApplication.objects.exists()  # no mobile number given: no request
