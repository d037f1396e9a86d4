"""The admin site and its menu by task: groups of models in the order staff use them, instead of apps by code point.

An app (the dashboard, which knows every app) declares the groups with :func:`menu_register`; the site's
``get_app_list`` (``UnionAdminSite`` below) arranges the models it would list anyway into them. A model no
group names stays in its app, after the groups; an app's own page (``/admin/<app>/``) is unchanged.

Every admin page builds the menu for its sidebar (forty models: each admin's four permission checks and two
URLs, some 7 ms a page on the 2-core machine). The arranged list is kept per process for ``MENU_SECONDS``
under the user, their permissions and the language: a permission granted or taken away makes another key, so
the menu follows at once; a view still checks its own permissions whatever the menu shows."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.admin import AdminSite
from django.utils.translation import get_language

MENU_SECONDS = 60
MENU_KEPT = 500  # users' menus kept per process; the oldest go first


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: object  # a lazy translation
    models: tuple[str, ...]  # "app_label.modelname", in the order shown
    names: dict | None = None  # label -> the name shown, for third-party models without a Chinese name


_GROUPS: list[MenuGroup] = []


def menu_register(groups: list[MenuGroup]) -> None:
    _GROUPS[:] = list(groups)


def group_label(opts) -> str:
    """The menu group's name of a model (its app's name when no group lists it): what the breadcrumbs say, so
    that the crumb and the sidebar call the same place by the same name."""
    label = f"{opts.app_label}.{opts.model_name}"
    for group in _GROUPS:
        if label in group.models:
            return str(group.label)
    return str(opts.app_config.verbose_name)


def arrange(app_list: list[dict]) -> list[dict]:
    """The groups (each like an app in ``app_list``), then what is left of each app."""
    if not _GROUPS:
        return app_list
    by_label = {}
    for app in app_list:
        for model in app["models"]:
            by_label[f"{app['app_label']}.{model['object_name'].lower()}"] = (app, model)
    taken: set[str] = set()
    arranged = []
    for group in _GROUPS:
        names = group.names or {}
        models = [
            {**by_label[label][1], **({"name": str(names[label])} if label in names else {})}
            for label in group.models
            if label in by_label
        ]
        if not models:
            continue
        taken.update(label for label in group.models if label in by_label)
        first_app = by_label[next(label for label in group.models if label in by_label)][0]
        arranged.append(
            {
                "name": str(group.label),
                "app_label": group.key,
                "app_url": first_app["app_url"],
                "has_module_perms": True,
                "models": models,
            }
        )
    for app in app_list:
        rest = [m for m in app["models"] if f"{app['app_label']}.{m['object_name'].lower()}" not in taken]
        if rest:
            arranged.append({**app, "models": rest})
    return arranged


class UnionAdminSite(AdminSite):
    """Django's admin site with the menu by task. Outside the ``unionhub.admin`` package on purpose: that
    package registers ModelAdmins on ``admin.site`` as it is imported, and importing it while the default site
    is being made would register them on a first instance that the finished site then replaces."""

    _menus: dict = {}

    def get_app_list(self, request, app_label=None):
        if app_label:
            return super().get_app_list(request, app_label)
        user = request.user
        key = (user.pk, user.is_active, user.is_staff, user.is_superuser, frozenset(user.get_all_permissions()),
               get_language(), request.META.get("SCRIPT_NAME", ""))  # fmt: skip
        now = time.monotonic()
        kept = self._menus.get(key)
        if kept is not None and now - kept[0] < MENU_SECONDS:
            return kept[1]
        app_list = arrange(super().get_app_list(request))
        if len(self._menus) >= MENU_KEPT:
            self._menus.pop(next(iter(self._menus)), None)
        self._menus[key] = (now, app_list)
        return app_list
