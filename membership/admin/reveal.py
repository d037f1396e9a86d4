"""The log of every reveal of full ID and mobile numbers and of every file with them in it (the reveal itself
is the core's: ``unionhub.personal`` and ``unionhub.admin.personal``)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from membership.models import MembershipApplication, PersonalDataReveal
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedModelAdmin


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
