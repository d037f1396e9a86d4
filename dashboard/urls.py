from django.contrib import admin
from django.urls import path

from dashboard.views import dashboard_view
from unionhub.admin.views import site_view

urlpatterns = [
    path("", site_view(admin.site, dashboard_view), name="dashboard"),
]
