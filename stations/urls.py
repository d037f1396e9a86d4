"""The public station finder, at /stations/ (no login)."""

from django.urls import path

from stations import views
from stations.views import rating as views_rating

app_name = "stations"
urlpatterns = [
    path("", views.station_list, name="list"),
    path("geojson", views.stations_geojson, name="geojson"),
    path("<str:code>/", views.station_detail, name="detail"),
    path("<str:code>/poster/", views.station_poster, name="poster"),
    path("<str:code>/rate/", views_rating.station_rate, name="rate"),
]
