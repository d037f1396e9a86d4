"""Outreach teams and their visits in the admin; a visit is recorded through ``visit_record`` (photos checked,
the funnel moved on)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from outreach import services
from outreach.forms import MultiplePhotoField
from outreach.models import OutreachTeam, Visit, VisitPhoto
from outreach.selectors.lists import teams_reached, visits_reached
from stations.services.logs import photos_check
from unionhub.admin.base import ScopedInlineMixin, ScopedModelAdmin
from unionhub.admin.views import AdminView
from unionhub.http import private_file_response, scoped_file

PHOTO_PERMISSION = "outreach.view_visitphoto"


@admin.register(OutreachTeam)
class OutreachTeamAdmin(ScopedModelAdmin):
    scoped_base = staticmethod(teams_reached)
    list_display = ["name", "county", "member_names", "town_names"]
    search_fields = ["name"]
    filter_horizontal = ["members", "towns"]

    @admin.display(description=_("members"))
    def member_names(self, obj):
        return "、".join(u.get_full_name() or u.get_username() for u in obj.members.all())

    @admin.display(description=_("assigned towns or parks"))
    def town_names(self, obj):
        return "、".join(t.name for t in obj.towns.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members", "towns")


class VisitForm(forms.ModelForm):
    new_photos = MultiplePhotoField(label=_("photos"))

    class Meta:
        model = Visit
        fields = ["employer", "team", "visited_on", "visitors", "met", "said", "next_step", "outcome", "project"]

    def clean(self):
        data = super().clean()
        photos = data.get("new_photos") or []
        if photos:  # checked by their content here, so that a bad photo is told beside the field
            try:
                photos_check(photos)
            except ValidationError as exc:
                self.add_error("new_photos", exc)
        if not self.errors:
            try:
                services.visit_validate(visit=self.instance)
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


def visit_photo_download(request, pk: int):
    """One visit photo, for a user with the view permission whose scope reaches its visit's employer."""
    photo, content = scoped_file(request, VisitPhoto.objects.select_related("visit"), pk, permission=PHOTO_PERMISSION)
    filename = f"{photo.visit.visited_on:%Y%m%d}-{photo.pk}.jpg"
    return private_file_response(content, filename, content_type="image/jpeg", inline=True)


class VisitPhotoInline(ScopedInlineMixin, admin.TabularInline):
    model = VisitPhoto
    extra = 0
    fields = ["thumbnail", "width", "height", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:outreach_visit_photo", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" class="uh-photo-thumb"></a>',
            url,
            url,
            _("photo of the visit"),
        )


@admin.register(Visit)
class VisitAdmin(ScopedModelAdmin):
    form = VisitForm
    scoped_base = staticmethod(visits_reached)
    list_display = ["visited_on", "employer", "team", "met", "outcome", "next_step"]
    list_filter = ["outcome", "team"]
    search_fields = ["employer__name", "met", "visitors"]
    autocomplete_fields = ["employer"]
    date_hierarchy = "visited_on"
    list_select_related = ["employer", "team"]
    inlines = [VisitPhotoInline]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj) and not (obj is None and self.has_add_permission(request)):
            return [name for name in fields if name != "new_photos"]  # an upload input, nothing to read
        return fields

    def get_custom_views(self):
        return [
            AdminView("photo/<int:pk>/", visit_photo_download, "photo", (PHOTO_PERMISSION,)),
            *super().get_custom_views(),
        ]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            services.visit_photos_add(visit=obj, photos=form.cleaned_data.get("new_photos") or [])
            return
        data = form.cleaned_data
        saved = services.visit_record(
            employer=data["employer"],
            team=data["team"],
            visited_on=data["visited_on"],
            visitors=data["visitors"],
            met=data["met"],
            said=data["said"],
            next_step=data["next_step"],
            outcome=data["outcome"],
            photos=data.get("new_photos") or [],
            project=data.get("project"),
            user=request.user,
        )
        obj.pk = saved.pk
        obj._state.adding = False
