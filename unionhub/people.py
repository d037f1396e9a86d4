"""People as staff read them: a name and the unit they work for - "王丽（沁水县总工会）" - never a login name.

``person_label(user)`` is what every page, drop-down, history and file shows for a user: the user model's
``__str__`` is this function (set in ``UnionhubConfig.ready``), so a foreign key to a user reads the same in a
changelist column, a read-only field, a select, simple-history's "changed by" and a spreadsheet. Without a name
the label says so ("（未填写姓名）"), it does not fall back to the login.

The unit comes from the first source that knows one, registered by the apps in their ``AppConfig.ready``
(casework: the union a chair or desk serves; stations: the station a manager runs), then the core's: the
federation of the region the user works in (``UserScope``). It is kept in the cache for ten minutes per user
(one lookup per person on a page, not per row), so a changed post shows within ten minutes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import gettext as _

from unionhub.models.regions import OrganizationKind, UnionOrganization, UserScope

UNIT_TTL_SECONDS = 600
_UNIT_SOURCES: list[Callable[..., str]] = []
FEDERATIONS = (
    OrganizationKind.PROVINCIAL_FEDERATION,
    OrganizationKind.CITY_FEDERATION,
    OrganizationKind.COUNTY_FEDERATION,
    OrganizationKind.TOWN_FEDERATION,
)


def register_unit_source(source: Callable[..., str]) -> None:
    """An app's way of naming the unit a user works for (``source(user) -> str``, "" when it does not know)."""
    if source not in _UNIT_SOURCES:
        _UNIT_SOURCES.append(source)


def person_name(user) -> str:
    name = f"{user.first_name} {user.last_name}".strip() if user is not None else ""
    return name or _("(name not given)")


def _region_unit(user) -> str:
    scope = UserScope.objects.filter(user_id=user.pk).select_related("region").first()
    if scope is None or scope.region is None:
        return ""
    federation = (
        UnionOrganization.objects.filter(region_id=scope.region_id, kind__in=FEDERATIONS, is_holding_pool=False)
        .order_by("kind")
        .values_list("name", flat=True)
        .first()
    )
    return federation or scope.region.name


def person_unit(user) -> str:
    if user is None or user.pk is None:
        return ""
    key = f"person-unit:{user.pk}"
    unit = cache.get(key)
    if unit is None:
        unit = next((found for source in [*_UNIT_SOURCES, _region_unit] if (found := source(user))), "")
        cache.set(key, unit, UNIT_TTL_SECONDS)
    return unit


def person_label(user) -> str:
    """ "王丽（沁水县总工会）"; a name alone when no unit is known; the superuser reads as its name too."""
    if user is None:
        return ""
    name = person_name(user)
    unit = person_unit(user)
    return f"{name}（{unit}）" if unit and unit not in name else name
