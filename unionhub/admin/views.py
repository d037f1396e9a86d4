"""Custom admin views: the one way to add a page, a download or an action URL to a ModelAdmin.

A ModelAdmin that inherits ``ScopedAdminMixin`` lists its extra views in ``get_custom_views()`` as
:class:`AdminView` entries. Each one names the permissions it requires and whether it concerns one object;
:func:`checked_view` wraps it so that, in this order,

1. the user is staff and logged in (``admin_site.admin_view``),
2. the request method is allowed,
3. the user holds every required permission - otherwise 403, before anything is looked up, so that a
   refusal says nothing about whether an object exists,
4. an object view's object is inside the user's scope (``model_admin.get_object``) - otherwise it behaves
   exactly as a missing object (the admin's "does not exist" redirect),
5. the optional ``allow(request, obj)`` check holds (say "only the user who uploaded it") - otherwise 403.

``ScopedAdminMixin.get_urls`` refuses at start-up any URL of a model admin that did not come through here
or from Django, django-import-export or simple-history, so forgetting a check is impossible, not merely
tested against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.urls import path

CHECKED_ATTRIBUTE = "uh_checked_view"


@dataclass(frozen=True)
class AdminView:
    """One custom URL of a model admin: ``route`` relative to the model's admin, ``view(request, obj)`` for
    an object view (the route holds ``<path:object_id>``) or ``view(request)`` otherwise."""

    route: str
    view: Callable
    name: str  # without the "<app>_<model>_" prefix
    permissions: tuple[str, ...]
    methods: tuple[str, ...] = ("GET",)
    allow: Callable | None = None  # (request, obj) -> bool, after scope

    @property
    def for_object(self) -> bool:
        return "<path:object_id>" in self.route


def checked_view(model_admin, spec: AdminView):
    """The view of ``spec``, wrapped in the checks listed in the module docstring."""

    @wraps(spec.view)
    def view(request, object_id=None, **kwargs):
        if request.method not in spec.methods:
            return HttpResponseNotAllowed(spec.methods)
        if not request.user.has_perms(spec.permissions):
            raise PermissionDenied
        if not spec.for_object:
            if spec.allow is not None and not spec.allow(request, None):
                raise PermissionDenied
            return spec.view(request, **kwargs)
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None:
            return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
        if spec.allow is not None and not spec.allow(request, obj):
            raise PermissionDenied
        return spec.view(request, obj, **kwargs)

    wrapped = model_admin.admin_site.admin_view(view)
    setattr(wrapped, CHECKED_ATTRIBUTE, spec)
    return wrapped


def admin_view_path(model_admin, spec: AdminView):
    opts = model_admin.opts
    return path(spec.route, checked_view(model_admin, spec), name=f"{opts.app_label}_{opts.model_name}_{spec.name}")


def site_view(admin_site, view, *, permissions: tuple[str, ...] = (), methods: tuple[str, ...] = ("GET",)):
    """The same checks for a project-level admin page (no model, no object): the dashboard."""
    spec = AdminView(route="", view=view, name="", permissions=permissions, methods=methods)

    @wraps(view)
    def checked(request, **kwargs):
        if request.method not in spec.methods:
            return HttpResponseNotAllowed(spec.methods)
        if not request.user.has_perms(spec.permissions):
            raise PermissionDenied
        return view(request, **kwargs)

    wrapped = admin_site.admin_view(checked)
    setattr(wrapped, CHECKED_ATTRIBUTE, spec)
    return wrapped
