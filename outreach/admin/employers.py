"""The employer register in the admin: the list with the funnel, the import of the market-regulation list,
coverage per town, and founding the union from an employer in one step."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outreach import services
from outreach.choices import Stage
from outreach.forms import FoundUnionForm
from outreach.models import Employer
from outreach.selectors import coverage_by_town, funnel
from outreach.selectors.lists import employers_reached
from unionhub.admin.base import ScopedModelAdmin
from unionhub.admin.views import AdminView


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["credit_code", "name", "town", "industry", "workers", "is_platform", "union", "stage"]

    def _post_clean(self):
        # After the form has put its values on the instance (``clean`` runs before): the register's rules.
        super()._post_clean()
        if not self.errors:
            try:
                services.employer_validate(employer=self.instance)
            except ValidationError as exc:
                self.add_error(None, exc)


def roster_url(union) -> str:
    """Membership's roster import with the founded union chosen: its first members go into it."""
    return f"{reverse('admin:membership_rosterimport_add')}?{urlencode({'union': union.credit_code or union.name})}"


@admin.register(Employer)
class EmployerAdmin(ScopedModelAdmin):
    form = EmployerForm
    scoped_base = staticmethod(employers_reached)
    list_display = ["name", "credit_code", "town", "industry", "workers", "is_platform", "union", "stage"]
    list_filter = ["stage", "industry", "is_platform"]
    search_fields = ["credit_code", "name"]
    autocomplete_fields = ["union"]
    list_select_related = ["town", "union"]
    change_form_template = "outreach/admin/employer_change_form.html"
    change_list_template = "outreach/admin/employer_change_list.html"

    def get_custom_views(self):
        return [
            AdminView("coverage/", self.coverage_view, "coverage", ("outreach.view_employer",)),
            AdminView(
                "<path:object_id>/found/",
                self.found_view,
                "found",
                ("outreach.change_employer", "unionhub.add_unionorganization"),
                ("POST",),
            ),
            *super().get_custom_views(),
        ]

    def save_model(self, request, obj, form, change):
        services.employer_save(employer=obj, user=request.user)

    def changelist_view(self, request, extra_context=None):
        extra = {
            "import_url": reverse("admin:outreach_employerimport_add"),
            "coverage_url": reverse("admin:outreach_employer_coverage"),
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if (
            obj is not None
            and not obj.union_id
            and request.user.has_perms(("outreach.change_employer", "unionhub.add_unionorganization"))
        ):
            context["found_url"] = reverse("admin:outreach_employer_found", args=[obj.pk])
            context["found_form"] = FoundUnionForm(initial={"name": f"{obj.name}工会"})
        if obj is not None and obj.union_id:
            context["union_url"] = reverse("admin:unionhub_unionorganization_change", args=[obj.union_id])
            context["roster_url"] = roster_url(obj.union)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def coverage_view(self, request):
        employers = self.get_queryset(request)
        towns, total = coverage_by_town(employers)
        steps = funnel(employers)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Union coverage of workers"),
            "towns": towns,
            "total": total,
            "funnel": [(Stage(value).label, count) for value, count in steps.items()],
            "opts": self.opts,
        }
        return TemplateResponse(request, "outreach/admin/coverage.html", context)

    def found_view(self, request, obj):
        form = FoundUnionForm(request.POST)
        form.is_valid()
        try:
            union = services.employer_found_union(
                employer=obj,
                user=request.user,
                name=form.cleaned_data.get("name", ""),
                chair=form.cleaned_data.get("chair", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("admin:outreach_employer_change", obj.pk)
        messages.success(
            request,
            format_html(
                _('The union “{}” is founded. <a href="{}">Import its first members</a>.'),
                union.name,
                roster_url(union),
            ),
        )
        return redirect("admin:outreach_employer_change", obj.pk)


EmployerAdmin.found_view.short_description = gettext_lazy("found the union")
