from django.urls import path

from membership import views

app_name = "membership"
urlpatterns = [
    path("", views.join, name="join"),
    path("submitted/<str:reference>/", views.submitted, name="submitted"),
    path("status/", views.status, name="status"),
    path("privacy/", views.privacy, name="privacy"),
    path("qr.svg", views.qr, name="qr"),
]
