from django.urls import path, re_path

from api.views.site import api, not_found

app_name = "api"

urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found, name="not_found"),
]
