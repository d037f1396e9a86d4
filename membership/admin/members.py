"""The member register in the admin: masked numbers, logged reveals, transfers, exports."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from membership import services
from membership.admin.exports import member_export_start_view
from membership.choices import JOINABLE_KINDS, MemberStatus
from membership.filtersets import POOL_CHOICES, members_in_pool
from membership.forms.join import MemberAddForm, MemberChangeForm, TransferForm
from membership.models import Member, MemberTransfer
from membership.resources import MemberResource
from membership.selectors.lists import MEMBER_SEARCH_PLACEHOLDER, NUMBER_SEARCH_HELP, member_search, members_reached
from unionhub.admin.base import ScopedExportAdmin, ScopedInlineMixin
from unionhub.admin.personal import RevealAdminMixin
from unionhub.admin.search import PrivateSearchMixin
from unionhub.admin.views import AdminView
from unionhub.models.regions import UnionOrganization
from unionhub.personal import personal_data
from unionhub.scoping import scope_queryset


class HoldingPoolFilter(admin.SimpleListFilter):
    """The FilterSet's ``pool`` (``membership.filtersets``): the same parameter, the same rows."""

    title = _("holding pool")
    parameter_name = "pool"

    def lookups(self, request, model_admin):
        return POOL_CHOICES

    def queryset(self, request, queryset):
        return members_in_pool(queryset, self.value())


class MemberTransferInline(ScopedInlineMixin, admin.TabularInline):
    model = MemberTransfer
    fk_name = "member"
    extra = 0
    fields = ["date", "from_union", "to_union", "reason", "by"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("transfers between unions")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(PrivateSearchMixin, RevealAdminMixin, ScopedExportAdmin):
    resource_classes = [MemberResource]
    # The roster links and the background export, under django-import-export's export button.
    change_list_template = "admin/membership/member/change_list.html"
    exports_in_background = True  # one export control: the background export (format chosen beside it)
    list_display = [
        "card_number",
        "name",
        "resident_id_display",
        "mobile_display",
        "union",
        "occupation",
        "join_date",
        "status",
        "source",
    ]
    # Status and source have three values each: sorting a county's register by them only groups it, which
    # their filters do through an index (the partial ones, for the minority values). Sorted, they would need
    # a full index each, written by every roster import, or a sort of the whole county (0.5-1 s at 1M).
    sortable_by = ["card_number", "name", "union", "occupation", "join_date"]
    list_filter = [HoldingPoolFilter, "status", "source", "occupation", "union", "join_date"]
    # The list selector's: its scope, and its search - an ID, mobile or card number, typed any way, is one indexed
    # equality; other text matches the name (a trigram index on PostgreSQL) - see unionhub.search. The union is a
    # filter, not a search. The list filters' parameters are MemberFilterSet's names (the export reads them).
    scoped_base = staticmethod(members_reached)
    search_fields = ["name"]
    list_search = staticmethod(member_search)  # also a mobile's or an ID's last four, an ID's first digits
    search_placeholder = MEMBER_SEARCH_PLACEHOLDER
    search_help_text = NUMBER_SEARCH_HELP
    list_select_related = ["union"]
    ordering_tiebreak = ["join_date", "card_number"]  # the default order; see unionhub.admin.scale
    autocomplete_fields = ["union"]
    inlines = [MemberTransferInline]
    actions = ["transfer_selected"]
    date_hierarchy = "join_date"

    def has_delete_permission(self, request, obj=None):
        """Members are never deleted: a member leaves by a status change with its reason (the history keeps
        who and when), so no delete button and no "delete the selected members" action."""
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MemberChangeForm if obj else MemberAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new member has no transfers yet

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["name", "resident_id", "mobile", "union", "employer", "occupation"]}),
                (_("Membership"), {"fields": ["join_date", "status"]}),
            ]
        return [
            (None, {"fields": ["card_number", "name", "resident_id_display", "gender", "birth_date"]}),
            (
                _("Contact"),
                {
                    "fields": ["mobile_display", *self.reveal_fields(request)]
                    # Corrections only for those who may change the member (readers saw "New mobile: None").
                    + (["new_mobile", "new_resident_id"] if self.has_change_permission(request, obj) else [])
                },
            ),
            (_("Union"), {"fields": ["union", "employer", "occupation"]}),
            (_("Membership"), {"fields": ["join_date", "status", "source", "created_at"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "card_number",
            "resident_id_display",
            "gender",
            "birth_date",
            "mobile_display",
            "reveal",
            "source",
            "created_at",
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            services.member_create(member=obj, by=request.user)
            return
        services.member_change(member=obj, by=request.user, union_changed="union" in form.changed_data)

    def get_changeform_initial_data(self, request):
        return {"status": MemberStatus.ACTIVE, **super().get_changeform_initial_data(request)}

    # --- export ------------------------------------------------------------------------------------------

    def get_custom_views(self):
        start = AdminView(
            "export-job/",
            self.export_job_view,
            "export_job",
            ("membership.view_member",),
            ("POST",),
            allow=lambda request, _obj: self.has_export_permission(request),
        )
        return [start, *super().get_custom_views()]

    def export_job_view(self, request):
        """Start a background export of the member list as filtered and searched (``_fmt``: xlsx or csv)."""
        return member_export_start_view(self, request)

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        if personal_data(request).may_reveal:
            personal_data(request).export_logged(count=len(data))
        return data

    # --- transfer ----------------------------------------------------------------------------------------

    @admin.action(description=_("Transfer selected members to another union"), permissions=["change"])
    def transfer_selected(self, request, queryset):
        unions = scope_queryset(UnionOrganization.objects.filter(kind__in=JOINABLE_KINDS), request.user)
        form = TransferForm(request.POST if "apply" in request.POST else None, unions=unions)
        if form.is_bound and form.is_valid():
            moved, errors = 0, []
            for member in queryset.select_related("union"):
                if member.union_id == form.cleaned_data["to_union"].pk:
                    continue
                try:
                    services.member_transfer(
                        member=member,
                        to_union=form.cleaned_data["to_union"],
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                    moved += 1
                except ValidationError as exc:
                    errors.append(f"{member}: {'; '.join(exc.messages)}")
            self.message_user(request, gettext("%(count)s members transferred.") % {"count": moved}, messages.SUCCESS)
            for error in errors:
                self.message_user(request, error, messages.ERROR)
            return None
        return TemplateResponse(
            request,
            "admin/membership/transfer.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Transfer members to another union"),
                "form": form,
                "queryset": queryset.select_related("union")[:200],
                "count": queryset.count(),
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
                "action": "transfer_selected",
            },
        )
