"""Django's admin with the site of ``unionhub.adminsite`` (the menu by task). Its own module: beside
``UnionhubConfig`` it would make ``unionhub.apps`` declare two default configurations."""

from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import get_user_model

_linked_admin_url = helpers.AdminReadonlyField.get_admin_url


def _person_or_link(self, remote_field, remote_obj):
    """A read-only field holding a user (who decided, who asked for an export, whose scope) shows the person -
    name and unit (``unionhub.people``) - as text. Django would link it to the user admin, which only the
    system administrator may open: for everyone else a dead end, and a login name behind it."""
    if remote_field.model is get_user_model():
        return str(remote_obj)
    return _linked_admin_url(self, remote_field, remote_obj)


class UnionAdminConfig(AdminConfig):
    default_site = "unionhub.adminsite.UnionAdminSite"

    def ready(self) -> None:
        super().ready()
        helpers.AdminReadonlyField.get_admin_url = _person_or_link
