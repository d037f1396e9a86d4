from django.contrib.auth.models import Group

from unionhub.roles import GROUP_NAMES


def codenames(role):
    return set(Group.objects.get(name=GROUP_NAMES[role]).permissions.values_list("codename", flat=True))


def test_every_role_is_a_group(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(GROUP_NAMES.values())


def test_county_staff_manage_unions_but_only_read_regions(db):
    perms = codenames("county_staff")
    assert {"view_unionorganization", "add_unionorganization", "change_unionorganization"} <= perms
    assert "view_region" in perms and "change_region" not in perms


def test_city_staff_only_read_but_load_the_holiday_calendar_for_the_counties_below(db):
    perms = codenames("regional_staff")
    calendar = {f"{action}_calendaroverride" for action in ("add", "change", "delete")}
    assert calendar <= perms
    assert perms and all(p.startswith("view_") for p in perms - calendar)
