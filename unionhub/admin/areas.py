"""The area filter: city and province staff narrow any list to a city or a county, one level at a time.

Staff of a province see their cities; a chosen city opens to its counties, and a chosen county keeps its city's
other counties beside it - a tree opened along the choice, a dozen links where a flat list of a province's
counties was a hundred. County staff (and station managers) have no area to choose, so they see no filter.

The rows are narrowed by ``unionhub.scoping.area_condition``, the condition that area's own staff are scoped
by, so a narrowed list reads as fast as theirs; the same parameter (``area``) filters the list's background
export through ``unionhub.lists.ListFilterSet``.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from unionhub.models import Region, RegionLevel
from unionhub.scoping import AREA_DIGITS, AREA_PARAMETER, COUNTY_DIGITS, area_condition, is_area_code, reach_of

AREA_CACHE_SECONDS = 300
INDENT = "\u3000"  # an ideographic space: kept by the browser, as wide as one character of the name


def area_tree(root: str | None, chosen: str | None) -> list[tuple[str, str, int]]:
    """``(code, name, depth)`` of the areas below ``root`` (None: everything) down to counties, opened along
    ``chosen``: the root's children, and under each area on the way to ``chosen`` (``chosen`` itself included
    unless it is a county) its children. One query, cached for five minutes per root and choice."""
    start = len(root) if root else 0
    opened = [root] if root else []
    if chosen:
        opened += [chosen[:n] for n in AREA_DIGITS if start < n < COUNTY_DIGITS and n <= len(chosen)]
    key = f"areas:{root or '-'}:{','.join(opened)}"
    tree = cache.get(key)
    if tree is None:
        below = Q(parent_id__in=opened) if root else Q(parent_id__in=opened) | Q(parent__isnull=True)
        rows = Region.objects.filter(below)
        rows = rows.exclude(level=RegionLevel.TOWN).order_by("code").values_list("code", "name", "parent")
        children: dict[str | None, list[tuple[str, str]]] = {}
        for code, name, parent in rows:
            children.setdefault(parent, []).append((code, name))
        tree = []

        def add(parent: str | None, depth: int) -> None:
            for code, name in children.get(parent, []):
                tree.append((code, name, depth))
                if code in opened:
                    add(code, depth + 1)

        add(root, 0)
        cache.set(key, tree, AREA_CACHE_SECONDS)
    return tree


class AreaListFilter(admin.SimpleListFilter):
    """``?area=<code>``: the list narrowed to a province, city or county within the user's own region."""

    title = _("area")
    parameter_name = AREA_PARAMETER

    def __init__(self, request, params, model, model_admin):
        reach = reach_of(request.user)
        self.root = None if reach.everything else reach.region_code
        # Only staff above a county have areas to choose from; anyone may still follow a link that names one.
        self.offered = reach.everything or bool(self.root and len(self.root) < COUNTY_DIGITS)
        super().__init__(request, params, model, model_admin)
        chosen = self.value()
        if chosen and not self._within_reach(chosen):
            raise IncorrectLookupParameters(_("Choose a city or county in your own region."))

    def value(self):
        return super().value() or None  # "area=" chooses nothing, as no parameter does

    def _within_reach(self, code: str) -> bool:
        return is_area_code(code) and (self.root is None or code.startswith(self.root))

    def lookups(self, request, model_admin):
        if not self.offered:
            return []
        return [(code, INDENT * depth + name) for code, name, depth in area_tree(self.root, self.value())]

    def queryset(self, request, queryset):
        chosen = self.value()
        return queryset.filter(area_condition(queryset.model, chosen)) if chosen else queryset
