"""Showing a person's full ID and mobile number, logged: one mixin for the member and the application admin."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from membership import services
from membership.masking import can_reveal


class RevealAdminMixin:
    """Adds ``<id>/reveal/`` (GET asks, POST shows the full numbers and logs it through
    ``services.personal_data_reveal``) and the ``reveal`` button for the change page. ``reveal_as`` names the
    service's keyword for this model (``member`` or ``application``). Out of scope behaves as missing."""

    reveal_as: str

    def _reveal_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_reveal"

    @admin.display(description=_("full numbers"))
    def reveal(self, obj):
        # Only in the page of users who may reveal (get_fieldsets); the view checks again.
        if obj is None or not obj.pk:
            return "—"
        url = reverse(f"{self.admin_site.name}:{self._reveal_url_name()}", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, gettext("Show in full (logged)"))

    def get_urls(self):
        reveal = path(
            "<path:object_id>/reveal/", self.admin_site.admin_view(self.reveal_view), name=self._reveal_url_name()
        )
        return [reveal, *super().get_urls()]

    def reveal_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not can_reveal(request.user):
            raise PermissionDenied
        values = None
        if request.method == "POST":
            values = services.personal_data_reveal(user=request.user, **{self.reveal_as: obj})
        return TemplateResponse(
            request,
            "admin/membership/reveal.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": obj,
                "title": gettext("Full ID and mobile number"),
                "values": values,
                "masked": {"resident_id": obj.resident_id_masked, "mobile": obj.mobile_masked},
                "back_url": reverse(
                    f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
                ),
            },
        )
