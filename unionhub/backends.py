"""The authentication backend: Django's ModelBackend, with a user's permissions read in one query.

Django reads a user's own permissions and their groups' permissions with two queries on every admin page
(every role here is a group). One query with both joins gives the same set. Sessions saved with Django's
backend path still load (``django.contrib.auth.backends.ModelBackend`` stays importable, but a session names
the backend that logged it in, so after a deploy staff sign in once more)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackend(DjangoModelBackend):
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
