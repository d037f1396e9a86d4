from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from unionhub.views import healthz

urlpatterns = [
    path("admin/dashboard/", include("dashboard.urls")),
    path("admin/", admin.site.urls),
    path("stations/", include("stations.urls")),
    path("join/", include("membership.urls")),
    path("cases/", include("casework.urls")),
    path("help/", include("hardship.urls")),
    path("outreach/", include("outreach.urls")),
    path("work/", include("employment.urls")),
    path("api/", include("api.urls")),
    path("healthz", healthz, name="healthz"),
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
]
