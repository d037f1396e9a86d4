"""Showing a person's full ID and mobile number, logged: one mixin for the member and the application admin."""

from __future__ import annotations

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from membership import services
from membership.masking import REVEAL_PERMISSION
from unionhub.admin.views import AdminView


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

    def get_custom_views(self):
        view = f"{self.opts.app_label}.view_{self.opts.model_name}"
        reveal = AdminView(
            "<path:object_id>/reveal/", self.reveal_view, "reveal", (view, REVEAL_PERMISSION), ("GET", "POST")
        )
        return [reveal, *super().get_custom_views()]

    def reveal_view(self, request, obj):
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
