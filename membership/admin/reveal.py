"""Showing a person's full ID and mobile number, logged: one mixin for the member and the application admin,
and the log of every reveal and export of full numbers."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from membership import services
from membership.masking import REVEAL_PERMISSION
from membership.models import MembershipApplication, PersonalDataReveal
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedModelAdmin
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


@admin.register(PersonalDataReveal)
class PersonalDataRevealAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ["revealed_at", "user", "subject", "subject_label", "fields_display", "count"]
    list_filter = ["subject", "revealed_at"]
    search_fields = ["user__username", "user__first_name", "subject_label"]
    list_select_related = ["user"]
    date_hierarchy = "revealed_at"
    fields = [
        "revealed_at",
        "user",
        "subject",
        "subject_label",
        "member",
        "application",
        "fields_display",
        "count",
        "region",
    ]
    readonly_fields = fields

    @admin.display(description=_("fields"))
    def fields_display(self, obj):
        """The fields shown, by their labels (身份证号码、手机号码), not their names."""
        names = obj.fields if isinstance(obj.fields, list | tuple) else str(obj.fields or "").split(",")
        labels = []
        for name in (n.strip() for n in names if n and n.strip()):
            try:
                labels.append(str(MembershipApplication._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:  # a name no longer on the model is shown as it is
                labels.append(name)
        return "、".join(labels) or "—"
