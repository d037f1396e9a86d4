from django.urls import path

from hardship import views

app_name = "hardship"

urlpatterns = [
    path("notice/", views.notice, name="notice"),
    path("notice/print/", views.notice_print, name="notice_print"),
]
