"""Jobs at the stations, at /work/ (no login): current vacancies, a station's list, the job-wish form."""

from django.urls import path

from employment import views

app_name = "employment"

urlpatterns = [
    path("", views.vacancy_list, name="list"),
    path("<str:code>/", views.station_jobs, name="station"),
    path("<str:code>/wish/", views.wish, name="wish"),
]
