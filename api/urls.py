from django.urls import path, re_path

from api.views.site import not_found, urls

app_name = "api"

urlpatterns = [
    path("v1/", urls()),
    re_path(r"^(?P<rest>.*)$", not_found, name="not_found"),
]
