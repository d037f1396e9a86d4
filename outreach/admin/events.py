"""Events, sign-ups and check-in scans in the admin, and the station manager's check-in page (a phone page:
the camera scanner, a typed code, and the offline queue) with its scan endpoint."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outreach import services
from outreach.models import CheckIn, Event, SignUp
from outreach.selectors import event_figures
from outreach.selectors.lists import events_reached
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedModelAdmin
from unionhub.admin.personal import MaskedNumbersMixin
from unionhub.admin.views import AdminView

CHECKIN_PERMISSIONS = ("outreach.view_event", "outreach.add_checkin")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "station",
            "region",
            "place",
            "starts_at",
            "ends_at",
            "capacity",
            "suggestions",
            "project",
            "cancelled",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "region" in self.fields:  # absent for a user who may only view
            self.fields["region"].required = False

    def clean(self):
        data = super().clean()
        if data.get("station"):
            self.instance.region_id = data["station"].region_id
        elif not data.get("region"):
            self.add_error("region", _("Choose the station or the town where the event is held."))
        return data


@admin.register(Event)
class EventAdmin(ScopedModelAdmin):
    form = EventForm
    scoped_base = staticmethod(events_reached)
    list_display = ["title", "kind", "starts_at", "station", "capacity", "figures", "checkin_link"]
    list_filter = ["kind", "cancelled"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    list_select_related = ["kind", "station"]
    readonly_fields = ["code", "signup_link", "activity"]

    def get_custom_views(self):
        return [
            AdminView("<path:object_id>/checkin/", self.checkin_view, "checkin", CHECKIN_PERMISSIONS),
            AdminView("<path:object_id>/scans/", self.scans_view, "scans", CHECKIN_PERMISSIONS, ("POST",)),
            *super().get_custom_views(),
        ]

    def save_model(self, request, obj, form, change):
        services.event_validate(event=obj)
        obj.save()
        if change:
            services.event_attendance_sync(event=obj, user=request.user)

    @admin.display(description=gettext_lazy("signed up / checked in"))
    def figures(self, obj):
        figures = event_figures(obj)
        return f"{figures['signed_up']} / {figures['checked_in']}"

    @admin.display(description=gettext_lazy("check-in"))
    def checkin_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:outreach_event_checkin", args=[obj.pk]), _("check-in"))

    @admin.display(description=gettext_lazy("sign-up page"))
    def signup_link(self, obj):
        if not obj.pk:
            return "-"
        url = reverse("outreach:signup", args=[obj.code])
        return format_html(
            '<a href="{}">{}</a>', url, _("open the sign-up page (event code %(code)s)") % {"code": obj.code}
        )

    def checkin_view(self, request, obj):
        context = {
            "event": obj,
            "figures": event_figures(obj),
            "scans_url": reverse("admin:outreach_event_scans", args=[obj.pk]),
            "back_url": reverse("admin:outreach_event_change", args=[obj.pk]),
        }
        return TemplateResponse(request, "outreach/checkin.html", context)

    def scans_view(self, request, obj):
        """``{"scans": [{"id", "code", "at"}, …]}`` -> ``{"answers": […], "checked_in": n}``."""
        try:
            # Only a JSON body carries scans; anything else (a form post) sends none.
            payload = json.loads(request.body or b"{}") if request.content_type == "application/json" else {}
            scans = payload.get("scans", [])
            if not isinstance(scans, list) or not all(isinstance(s, dict) for s in scans):
                raise ValueError
            answers = services.checkin_batch(event=obj, scans=scans, user=request.user)
        except (ValueError, AttributeError):
            return JsonResponse({"error": _("The scans could not be read.")}, status=400)
        except ValidationError as exc:
            return JsonResponse({"error": " ".join(exc.messages)}, status=400)
        return JsonResponse({"answers": answers, "checked_in": event_figures(obj)["checked_in"]})


@admin.register(SignUp)
class SignUpAdmin(MaskedNumbersMixin, ScopedModelAdmin):
    list_display = ["name", "mobile_display", "event", "is_member", "created_at", "checked_in_at", "cancelled_at"]
    list_filter = ["is_member"]
    search_fields = ["name", "code"]
    list_select_related = ["event"]
    fields = ["event", "name", "mobile", "is_member", "code", "checked_in_at", "cancelled_at"]
    readonly_fields = ["event", "code", "checked_in_at"]

    def has_add_permission(self, request):
        return False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ["scanned_at", "event", "signup", "result", "message", "scanned_by"]
    list_filter = ["result"]
    search_fields = ["code", "event__title"]
    list_select_related = ["event", "signup", "scanned_by"]
