from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("e/<str:code>/", views.signup, name="signup"),
    path("t/<str:code>/", views.ticket, name="ticket"),
    path("desk/<str:code>/", views.desk, name="desk"),
]
