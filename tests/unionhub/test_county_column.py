"""The county column that scoping reads on the large tables (members, subsidy allocations): it always equals
the parent's county (the union's, the station's), the scope it gives is the region path's, row for row, for
every level of reach, and on PostgreSQL the database itself refuses a wrong one and carries a move over."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from membership import services
from membership.models import Member
from stations.models import Activity, SubsidyAllocation
from tests.factories import (
    JIAFENG,
    JINCHENG,
    QINSHUI,
    RUNCHENG,
    YANGCHENG,
    UnionOrganizationFactory,
    UserFactory,
    ensure_regions,
)
from tests.membership.factories import MemberFactory
from tests.stations.factories import ActivityFactory, StationFactory
from tests.stations.rating_factories import make_policy, make_run
from unionhub.models import Region, Role
from unionhub.scoping import reach_of, scope_queryset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _regions(db):
    ensure_regions()


def other_town_of_qinshui() -> str:
    return Region.objects.filter(level="town", code__startswith=QINSHUI).exclude(code=JIAFENG).first().code


@pytest.fixture
def register():
    """Members in two towns of 沁水县 and one of 阳城县."""
    second = other_town_of_qinshui()
    members = {
        JIAFENG: [MemberFactory(union=UnionOrganizationFactory(region_id=JIAFENG)) for _ in range(3)],
        second: [MemberFactory(union=UnionOrganizationFactory(region_id=second)) for _ in range(2)],
        RUNCHENG: [MemberFactory(union=UnionOrganizationFactory(region_id=RUNCHENG)) for _ in range(2)],
    }
    return members


def test_a_member_carries_the_county_of_its_union(register):
    for town, members in register.items():
        for member in members:
            member.refresh_from_db()
            assert member.county == town[:6]


@pytest.mark.parametrize("reach", [JINCHENG, QINSHUI, YANGCHENG, JIAFENG, "14", "140502"])
def test_the_county_column_scopes_exactly_as_the_region_path(register, reach):
    user = UserFactory(role=Role.REGIONAL_STAFF if len(reach) < 6 else Role.COUNTY_STAFF, region=reach)
    scoped = set(scope_queryset(Member.objects.all(), user).values_list("pk", flat=True))
    by_union = set(Member.objects.filter(union__region__code__startswith=reach).values_list("pk", flat=True))
    assert scoped == by_union
    expected = {m.pk for town, members in register.items() if town.startswith(reach) for m in members}
    assert scoped == expected


def test_the_scope_reads_the_county_column_without_joining_the_union(register):
    county = UserFactory(role=Role.COUNTY_STAFF, region=QINSHUI)
    sql = str(scope_queryset(Member.objects.all(), county).query)
    assert '"membership_member"."county" = 140521' in sql and "LIKE" not in sql
    assert "unionhub_unionorganization" not in sql
    town = UserFactory(role=Role.COUNTY_STAFF, region=JIAFENG)  # below a county: both rules
    sql = str(scope_queryset(Member.objects.all(), town).query)
    assert "county" in sql and "unionhub_unionorganization" in sql


@pytest.mark.parametrize("reach", [JINCHENG, QINSHUI, JIAFENG])
def test_applications_are_scoped_by_equality_on_their_county(reach):
    from membership.models import MembershipApplication
    from tests.membership.factories import ApplicationFactory

    here = ApplicationFactory(union=UnionOrganizationFactory(region_id=JIAFENG))
    there = ApplicationFactory(union=UnionOrganizationFactory(region_id=RUNCHENG))
    user = UserFactory(role=Role.REGIONAL_STAFF if len(reach) < 6 else Role.COUNTY_STAFF, region=reach)
    queryset = scope_queryset(MembershipApplication.objects.all(), user)
    expected = {here.pk, there.pk} if reach == JINCHENG else ({here.pk} if reach == QINSHUI else set())
    assert set(queryset.values_list("pk", flat=True)) == expected
    if reach == QINSHUI:
        assert "LIKE" not in str(queryset.query)


def test_a_transfer_to_another_county_moves_the_member_out_of_the_old_countys_reach(register):
    member = register[JIAFENG][0]
    services.member_transfer(member=member, to_union=UnionOrganizationFactory(region_id=RUNCHENG), reason="调动")
    member.refresh_from_db()
    assert member.county == YANGCHENG
    qinshui = UserFactory(role=Role.COUNTY_STAFF, region=QINSHUI)
    yangcheng = UserFactory(role=Role.COUNTY_STAFF, region=YANGCHENG)
    assert not scope_queryset(Member.objects.filter(pk=member.pk), qinshui).exists()
    assert scope_queryset(Member.objects.filter(pk=member.pk), yangcheng).exists()


def allocation_at(station):
    policy = make_policy(station.region_id[:6])
    run = make_run(policy)
    return SubsidyAllocation.objects.create(
        run=run, station=station, period_start=run.period_start, period_end=run.period_end,
        subsidy_type="operating", stars=3, amount=Decimal("12000.00"), breakdown="三星 → 12,000",
    )  # fmt: skip


def test_an_allocation_carries_the_county_of_its_station_and_scopes_by_it():
    here, there = StationFactory(region_id=JIAFENG), StationFactory(region_id=RUNCHENG)
    mine, theirs = allocation_at(here), allocation_at(there)
    assert (mine.county, theirs.county) == (QINSHUI, YANGCHENG)
    county = UserFactory(role=Role.COUNTY_STAFF, region=QINSHUI)
    assert list(scope_queryset(SubsidyAllocation.objects.all(), county)) == [mine]
    city = UserFactory(role=Role.REGIONAL_STAFF, region=JINCHENG)
    assert set(scope_queryset(SubsidyAllocation.objects.all(), city)) == {mine, theirs}


def test_a_station_manager_still_reaches_the_rows_of_their_station_outside_their_region():
    """The station rule is left out only for users who manage no station."""
    county = UserFactory(role=Role.COUNTY_STAFF, region=QINSHUI)
    elsewhere = StationFactory(region_id=RUNCHENG)
    ActivityFactory(station=elsewhere)
    assert not reach_of(county).manages_stations
    assert "managers" not in str(scope_queryset(Activity.objects.all(), county).query)
    assert not scope_queryset(Activity.objects.all(), county).exists()
    elsewhere.managers.add(county)
    county = type(county).objects.get(pk=county.pk)  # the reach is kept per request, on the user object
    assert reach_of(county).manages_stations
    assert scope_queryset(Activity.objects.all(), county).count() == 1
    allocation = allocation_at(elsewhere)
    assert list(scope_queryset(SubsidyAllocation.objects.all(), county)) == [allocation]


# --- What the database keeps (PostgreSQL: the two-column foreign keys) ------------------------------------


@pytest.mark.postgres
def test_the_database_refuses_a_member_whose_county_is_not_its_unions(register):
    member = register[JIAFENG][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(county=YANGCHENG)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(union=UnionOrganizationFactory(region_id=RUNCHENG))


@pytest.mark.postgres
def test_a_bulk_write_that_leaves_the_county_out_fails_loudly():
    union = UnionOrganizationFactory(region_id=JIAFENG)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO membership_member (name, resident_id, gender, birth_date, mobile, employer, occupation, "
            "union_id, join_date, card_number, status, source, created_at) VALUES ('张三', '140521199001011234', "
            "'M', '1990-01-01', '', '', 'other', %s, '2026-01-01', '1405212026999999', 'active', 'manual', now())",
            [union.pk],
        )


def test_a_union_or_station_moved_to_another_county_carries_its_rows_with_it(register):
    """PostgreSQL through the foreign keys' ON UPDATE CASCADE; SQLite through the post_save receivers."""
    member = register[JIAFENG][0]
    union = member.union
    union.region_id = RUNCHENG
    union.save(update_fields=["region"])
    member.refresh_from_db()
    assert member.county == YANGCHENG
    station = StationFactory(region_id=JIAFENG)
    allocation = allocation_at(station)
    station.region_id = RUNCHENG
    station.save(update_fields=["region"])
    allocation.refresh_from_db()
    assert allocation.county == YANGCHENG


@pytest.mark.postgres
def test_on_postgresql_the_database_itself_carries_a_move_over(register):
    """No save(), no receiver: an UPDATE of the union's or station's region alone moves the rows' county."""
    from stations.models import Station
    from unionhub.models import UnionOrganization

    member = register[JIAFENG][0]
    UnionOrganization.objects.filter(pk=member.union_id).update(region_id=RUNCHENG)
    member.refresh_from_db()
    assert member.county == YANGCHENG
    station = StationFactory(region_id=JIAFENG)
    allocation = allocation_at(station)
    Station.objects.filter(pk=station.pk).update(region_id=RUNCHENG)
    allocation.refresh_from_db()
    assert allocation.county == YANGCHENG
