from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView

from dashboard.views import dashboard_view
from unionhub.admin.views import site_view


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/dashboard/", site_view(admin.site, dashboard_view), name="dashboard"),
    path("admin/", admin.site.urls),
    path("stations/", include("stations.urls")),
    path("join/", include("membership.urls")),
    path("healthz", healthz, name="healthz"),
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
]
