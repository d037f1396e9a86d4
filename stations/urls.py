from django.urls import path  # noqa: F401 - filled in by the public finder

app_name = "stations"
urlpatterns: list = []
