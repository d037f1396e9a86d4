"""The station manager's day log (a custom admin view on the activity admin, shown on the workbench) and the
activity photos: a read-only inline with thumbnails for county staff, served through a scoped download so
that a photo outside the user's region or stations is "not found"."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.forms.day_log import DayLogForm
from stations.models import ActivityPhoto
from stations.selectors.logs import managed_stations, recent_day_logs
from stations.services.logs import photos_check, station_day_log
from unionhub.admin.base import ReadOnlyAdminMixin
from unionhub.http import private_file_response, scoped_file

DAY_LOG_PERMISSIONS = ("stations.add_activity", "stations.add_visitorcount")
PHOTO_PERMISSION = "stations.view_activity"


def may_log_day(user) -> bool:
    """Station managers: they may add activities and visitor counts and manage at least one station."""
    return user.has_perms(DAY_LOG_PERMISSIONS) and managed_stations(user).exists()


def day_log_context(request, form=None) -> dict:
    return {
        "day_form": form or DayLogForm(user=request.user),
        "day_recent": recent_day_logs(request.user),
        "day_action": reverse("admin:stations_activity_day"),
    }


def render_day_log_panel(request) -> str:
    """The form and the recent entries as a block of the workbench ('' for anyone who does not log days)."""
    if not may_log_day(request.user):
        return ""
    return render_to_string("admin/stations/_day_log.html", day_log_context(request), request=request)


def _checked_photos(form) -> list | None:
    """The form's photos checked and prepared by the service (``photos_check``), or None with the problems
    put beside the photo field."""
    uploads = form.cleaned_data.get("photos") or []
    try:
        return photos_check(uploads) if uploads else []
    except ValidationError as exc:
        form.add_error("photos", exc)
        return None


def day_log_view(model_admin, request):
    """GET: the form on its own page (a note instead for a user who manages no station); POST: record the day
    (all or nothing) and go back to the workbench, or show the form again with each problem beside its field
    (status 400, nothing written)."""
    form = DayLogForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        photos = _checked_photos(form)
        if valid and photos is not None:
            data = form.cleaned_data
            try:
                station_day_log(
                    station=data["station"],
                    kind=data["kind"],
                    title=data["title"],
                    participants=data["participants"],
                    visitors=data["visitors"],
                    notes=data["notes"],
                    photos=photos,
                    user=request.user,
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                model_admin.message_user(
                    request,
                    _("Today's entry for %(station)s is saved.") % {"station": data["station"].name},
                    messages.SUCCESS,
                )
                return redirect("admin:index")
        status = 400
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Log today's activity"),
        "opts": model_admin.opts,
        **day_log_context(request, form),
        "manages_none": not managed_stations(request.user).exists(),
    }
    return TemplateResponse(request, "admin/stations/day_log.html", context, status=status)


def photo_download(request, pk: int):
    """One activity photo, for a user with the view permission whose scope reaches its activity's station."""
    photo, content = scoped_file(
        request, ActivityPhoto.objects.select_related("activity"), pk, permission=PHOTO_PERMISSION
    )
    filename = f"{photo.activity.date:%Y%m%d}-{photo.pk}.jpg"
    return private_file_response(content, filename, content_type="image/jpeg", inline=True)


class ActivityPhotoInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ActivityPhoto
    fields = ["thumbnail", "width", "height", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=gettext_lazy("photo"))
    def thumbnail(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:stations_activity_photo", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" class="uh-photo-thumb"></a>',
            url,
            url,
            _("photo of the activity"),
        )
