from django.urls import path

from hardship import views

app_name = "hardship"

urlpatterns = [
    path("notice/<str:county>/", views.notice, name="notice"),
    path("notice/<str:county>/print/", views.notice_print, name="notice_print"),
]
