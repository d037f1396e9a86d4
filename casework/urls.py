from django.urls import path

from casework.views import public

app_name = "casework"

urlpatterns = [
    path("", public.file_request, name="file"),
    path("status/", public.status, name="status"),
    path("find/", public.find, name="find"),
    path("r/<str:reference>/attach/", public.attach, name="attach"),
    path("r/<str:reference>/", public.detail, name="detail"),
    path("r/<str:reference>/rate/", public.rate, name="rate"),
    path("r/<str:reference>/reopen/", public.reopen, name="reopen"),
    path("r/<str:reference>/receipt/", public.receipt, name="receipt"),
]
