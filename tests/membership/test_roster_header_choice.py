"""A roster whose header is not recognised (issue 25: "where the header was not recognised, the manual
mapping"): the failed check shows the sheet's first rows, numbers masked; the user picks the header row — or
says there is none — and then chooses each column, and the members come through."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from membership.models import ImportMode, ImportStatus, RosterImport, RosterRow
from tests.factories import QINSHUI
from tests.membership.factories import resident_id, union_in
from tests.personas import Persona, make_persona
from unionhub.models import Role

UNION = "嘉峰煤矿工会"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def union(db):
    return union_in(QINSHUI, name=UNION)


def upload(client, lines, capture):
    data = ("\n".join(lines) + "\n").encode()
    with capture(execute=True):
        client.post(
            reverse("admin:membership_rosterimport_add"),
            {"file": SimpleUploadedFile("名单.csv", data), "mode": ImportMode.ALL_OR_NOTHING},
        )
    return RosterImport.objects.get()


def post_mapping(client, roster, data, capture):
    with capture(execute=True):
        response = client.post(reverse("admin:membership_rosterimport_mapping", args=[roster.pk]), data)
    assert response.status_code == 302
    roster.refresh_from_db()
    return roster


def test_a_header_in_words_nobody_expects_is_picked_and_mapped_by_hand(
    alice, union, client_for, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client = client_for(alice)
    first, second = resident_id(serial=31), resident_id(serial=32)
    roster = upload(
        client,
        ["2026年度职工名单（第二批）", "职工,证件,组织", f"张伟,{first},{UNION}", f"李娜,{second},{UNION}"],
        capture,
    )
    assert roster.status == ImportStatus.FAILED and "columns" not in roster.layout
    assert [line["row"] for line in roster.layout["head"]] == [1, 2, 3, 4]
    page = client.get(reverse("admin:membership_rosterimport_change", args=[roster.pk]))
    html = page.content.decode()
    assert page.context["may_map"] and 'id="roster-header-form"' in html and "哪一行是表头" in html
    assert first not in html and first[:6] in html  # the ID in the sample rows is masked

    roster = post_mapping(client, roster, {"header_row": "2"}, capture)
    assert roster.layout["header_row"] == 2
    assert [(c["header"], c["field"]) for c in roster.layout["columns"]] == [
        ("职工", None),
        ("证件", None),
        ("组织", None),
    ]
    # The user chooses each column (the header row chosen before is kept).
    roster = post_mapping(client, roster, {"column-0": "name", "column-1": "resident_id", "column-2": "union"}, capture)
    assert roster.status == ImportStatus.PREVIEWED, roster.error
    assert (roster.rows, roster.created, roster.errors) == (2, 2, 0)
    assert sorted(RosterRow.objects.filter(roster=roster).values_list("resident_id", flat=True)) == sorted(
        [first, second]
    )


def test_a_sheet_with_no_header_at_all_loses_no_member(alice, union, client_for, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    client = client_for(alice)
    lines = [f"张伟,{resident_id(serial=41)},{UNION}", f"李娜,{resident_id(serial=42)},{UNION}"]
    roster = upload(client, lines, capture)
    assert roster.status == ImportStatus.FAILED and roster.layout["head"]

    roster = post_mapping(client, roster, {"header_row": "0"}, capture)
    assert [c["header"] for c in roster.layout["columns"]] == ["A列", "B列", "C列"]
    roster = post_mapping(client, roster, {"column-0": "name", "column-1": "resident_id", "column-2": "union"}, capture)
    assert (roster.status, roster.created) == (ImportStatus.PREVIEWED, 2)  # the first line is a member too
    assert sorted(RosterRow.objects.filter(roster=roster).values_list("row_number", flat=True)) == [1, 2]


def test_a_blank_row_chosen_as_header_is_refused_in_chinese(
    alice, union, client_for, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client = client_for(alice)
    roster = upload(client, ["甲,乙,丙", f"张伟,{resident_id(serial=51)},{UNION}"], capture)
    roster = post_mapping(client, roster, {"header_row": "9"}, capture)
    assert roster.status == ImportStatus.FAILED and "第 9 行" in roster.error
    assert not RosterRow.objects.filter(roster=roster).exists()


def test_only_the_uploader_may_pick_the_header(alice, union, client_for, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    roster = upload(client_for(alice), ["甲,乙,丙", f"张伟,{resident_id(serial=61)},{UNION}"], capture)
    colleague = make_persona(Persona("colleague", Role.COUNTY_STAFF, QINSHUI))
    page = client_for(colleague).get(reverse("admin:membership_rosterimport_change", args=[roster.pk]))
    assert page.status_code == 200 and not page.context["may_map"]
    assert 'id="roster-header-form"' not in page.content.decode()
