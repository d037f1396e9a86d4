"""Pop-up joining desks in the admin: the desk's figures and its printable poster with the QR code."""

from __future__ import annotations

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outreach import services
from outreach.models import JoiningDesk
from outreach.selectors import desk_figures
from outreach.selectors.lists import desks_reached
from unionhub.admin.base import ScopedModelAdmin
from unionhub.admin.views import AdminView
from unionhub.qr import printable_address_problem, qr_svg


@admin.register(JoiningDesk)
class JoiningDeskAdmin(ScopedModelAdmin):
    scoped_base = staticmethod(desks_reached)
    list_display = ["name", "code", "place", "starts_at", "ends_at", "applications", "poster_link"]
    search_fields = ["name", "code", "place"]
    autocomplete_fields = ["union"]
    list_select_related = ["union"]
    readonly_fields = ["code", "figures"]

    def get_custom_views(self):
        return [
            AdminView("<path:object_id>/poster/", self.poster_view, "poster", ("outreach.view_joiningdesk",)),
            *super().get_custom_views(),
        ]

    @admin.display(description=gettext_lazy("applications / approved"))
    def applications(self, obj):
        figures = desk_figures(obj)
        return f"{figures['applications']} / {figures['approved']}"

    @admin.display(description=gettext_lazy("figures"))
    def figures(self, obj):
        if not obj.pk:
            return "-"
        figures = desk_figures(obj)
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", figures["by_occupation"])
        return format_html(
            "<p>{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("%(n)s applications through this desk, %(approved)s approved.")
            % {"n": figures["applications"], "approved": figures["approved"]},
            _("occupation"),
            _("applications"),
            _("approved"),
            rows,
        )

    @admin.display(description=gettext_lazy("poster"))
    def poster_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:outreach_joiningdesk_poster", args=[obj.pk]), _("poster")
        )

    def poster_view(self, request, obj):
        url = services.desk_qr_url(desk=obj)
        return TemplateResponse(
            request,
            "outreach/desk_poster.html",
            {"desk": obj, "qr": qr_svg(url), "url": url, "problem": printable_address_problem(url)},
        )
