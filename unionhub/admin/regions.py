from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from unionhub.admin.base import ScopedExportAdmin, ScopedImportExportAdmin, ScopedModelAdmin
from unionhub.models.regions import Region, UnionOrganization, UserScope
from unionhub.resources import RegionResource, UnionOrganizationResource

admin.site.site_header = settings.UNIONHUB_SITE_TITLE
admin.site.site_title = settings.UNIONHUB_SITE_TITLE
admin.site.index_title = _("Home")


@admin.register(Region)
class RegionAdmin(ScopedExportAdmin):
    resource_classes = [RegionResource]
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    readonly_fields = ["level"]
    fields = ["code", "name", "level"]

    def get_readonly_fields(self, request, obj=None):
        # The code is the key; a different code is a different region.
        return [*super().get_readonly_fields(request, obj), *(["code"] if obj else [])]


@admin.register(UnionOrganization)
class UnionOrganizationAdmin(ScopedImportExportAdmin):
    resource_classes = [UnionOrganizationResource]
    list_display = ["name", "kind", "region", "credit_code", "chair", "is_holding_pool"]
    list_filter = ["kind", "is_holding_pool", "region"]
    search_fields = ["name", "employer", "credit_code", "chair"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "parent"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "region", "parent"]}),
        (_("Employer"), {"fields": ["employer", "credit_code"]}),
        (_("Contact"), {"fields": ["chair", "phone", "is_holding_pool"]}),
    ]


@admin.register(UserScope)
class UserScopeAdmin(ScopedModelAdmin):
    list_display = ["user", "region"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "region__name"]
    list_select_related = ["user", "region"]
    autocomplete_fields = ["region"]
    raw_id_fields = ["user"]
