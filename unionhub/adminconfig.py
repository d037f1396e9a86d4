"""Django's admin with the site of ``unionhub.adminsite`` (the menu by task). Its own module: beside
``UnionhubConfig`` it would make ``unionhub.apps`` declare two default configurations."""

from django.contrib.admin.apps import AdminConfig


class UnionAdminConfig(AdminConfig):
    default_site = "unionhub.adminsite.UnionAdminSite"
