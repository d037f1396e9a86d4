"""Union chairs and desk staff: who handles requests for which union (the handler role goes with it)."""

from __future__ import annotations

from django.contrib import admin

from casework.models import UnionHandler
from casework.services.handlers import union_handler_add, union_handler_remove
from unionhub.admin.base import ScopedModelAdmin


@admin.register(UnionHandler)
class UnionHandlerAdmin(ScopedModelAdmin):
    """A union's chairs and desk staff; adding one gives them the handler role (``union_handler_add``)."""

    list_display = ["union", "user", "is_default"]
    list_select_related = ["union", "user"]
    autocomplete_fields = ["union"]
    raw_id_fields = ["user"]
    search_fields = ["union__name", "user__username", "user__first_name"]

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
