"""Union chairs and desk staff: who handles requests for which union (the handler role goes with it)."""

from __future__ import annotations

from django.contrib import admin

from casework.models import UnionHandler
from casework.selectors.reach import people_in_reach
from casework.services.handlers import union_handler_add, union_handler_remove
from unionhub.admin.base import ScopedModelAdmin


@admin.register(UnionHandler)
class UnionHandlerAdmin(ScopedModelAdmin):
    """A union's chairs and desk staff; adding one gives them the handler role (``union_handler_add``)."""

    list_display = ["union", "user", "is_default"]
    list_select_related = ["union", "user"]
    autocomplete_fields = ["union"]
    search_fields = ["union__name", "user__username", "user__first_name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """The person by name and unit, chosen among the people of the user's reach (not a login typed in,
        nor a link to the user admin county staff cannot open)."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user":
            field.queryset = people_in_reach(request.user)
        return field

    def save_model(self, request, obj, form, change):
        if change and "user" in form.changed_data:
            previous = UnionHandler.objects.get(pk=obj.pk)
            union_handler_remove(handler=previous)
            obj.pk = None
        saved = union_handler_add(union=obj.union, user=obj.user, is_default=obj.is_default)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        union_handler_remove(handler=obj)

    def delete_queryset(self, request, queryset):
        for handler in queryset:
            union_handler_remove(handler=handler)
