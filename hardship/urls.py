from django.urls import path

from hardship import views

app_name = "hardship"

urlpatterns = [
    path("notice/", views.notice, name="notice"),
    path("notice/print/", views.notice_print, name="notice_print"),
    path("apply/", views.apply, name="apply"),
    path("apply/<str:reference>/", views.applied, name="applied"),
    path("status/", views.status, name="status"),
]
