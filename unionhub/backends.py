"""A permissions backend: a user's permissions read in one query.

Django's ``ModelBackend`` reads a user's own permissions and their groups' permissions with two queries on
every admin page (every role here is a group). ``PermissionBackend`` reads the same set with one query and
stores it where ``ModelBackend`` keeps its cache (``_perm_cache``), so ``ModelBackend``, listed after it,
answers from that cache. It authenticates no one: ``ModelBackend`` still checks passwords and is the backend
sessions name, so sessions and logins are exactly Django's."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class PermissionBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return None  # passwords are ModelBackend's (listed after this one)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = permissions.order_by().values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
