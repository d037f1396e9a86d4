"""Requests in the admin: the handler's list, the timeline, and the handling actions as one form."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.admin.attachments import AttachmentInline, attachment_download
from casework.admin.base import RequestReachAdmin
from casework.filtersets import (
    DUE_CHOICES,
    ESCALATION_CHOICES,
    MINE_CHOICES,
    requests_due,
    requests_escalated,
    requests_whose,
)
from casework.forms.admin import RequestActionForm
from casework.models import Referral, RequestEvent, UnionHandler, WorkerRequest
from casework.services import handling
from unionhub.admin.base import ReadOnlyAdminMixin, ScopedModelAdmin
from unionhub.admin.messages import MessageLogMixin
from unionhub.admin.personal import RevealAdminMixin
from unionhub.admin.views import AdminView
from unionhub.scoping import scope_queryset

ACTION_DONE = {
    "accept": _("Accepted: the worker sees that you are handling it."),
    "assign": _("Given to the new handler; the time limits keep running."),
    "respond": _("Your reply is on the worker's status page."),
    "forward": _("Forwarded to %(union)s, which now holds the request."),
    "refer": _("Referred; the request is resolved with the referral."),
    "resolve": _("Resolved: the worker can now rate the handling."),
}


class EscalationFilter(admin.SimpleListFilter):
    """Not escalated, escalated once, twice, three times or more: fixed choices (Django's filter for a plain
    integer reads every request's distinct level on each page)."""

    title = _("escalations")
    parameter_name = "escalation_level"

    def lookups(self, request, model_admin):
        return ESCALATION_CHOICES

    def queryset(self, request, queryset):
        return requests_escalated(queryset, self.value())


class MineFilter(admin.SimpleListFilter):
    title = pgettext_lazy("request handler", "whose")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return MINE_CHOICES

    def queryset(self, request, queryset):
        return requests_whose(queryset, self.value(), request.user)


class DueFilter(admin.SimpleListFilter):
    title = _("time limit")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return DUE_CHOICES

    def queryset(self, request, queryset):
        return requests_due(queryset, self.value())


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RequestEvent
    fields = ["at", "kind", "from_union", "to_union", "actor", "note"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("timeline")


class ReferralInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Referral
    fields = ["referred_on", "department", "department_name", "note", "referred_by"]
    readonly_fields = fields
    extra = 0


@admin.register(WorkerRequest)
class WorkerRequestAdmin(MessageLogMixin, RevealAdminMixin, RequestReachAdmin):
    form = RequestActionForm
    list_display = [
        "reference",
        "category",
        "employer_name",
        "holder",
        "handler",
        "status",
        "due_display",
        "escalation_level",
        "rating",
        "filed_at",
    ]
    list_filter = [MineFilter, DueFilter, "status", "category", EscalationFilter]
    search_fields = ["reference", "employer_name", "name"]
    list_select_related = ["holder", "handler"]
    date_hierarchy = "filed_at"
    inlines = [EventInline, ReferralInline, AttachmentInline]
    readonly_fields = [
        "reference",
        "category",
        "status",
        "holder",
        "handler",
        "escalation_level",
        "employer_name",
        "employer_credit_code",
        "employer_union",
        "description",
        "wanted",
        "name",
        "mobile_display",
        "station",
        "source_union",
        "region",
        "filed_at",
        "acknowledge_due_on",
        "resolve_due_on",
        "level_due_on",
        "due_provisional",
        "acknowledged_at",
        "resolved_at",
        "resolution",
        "reopen_count",
        "rating",
        "rating_comment",
        "message_log",
    ]
    fieldsets = [
        (None, {"fields": ["reference", ("category", "status"), ("holder", "handler", "escalation_level")]}),
        (
            _("the worker's request"),
            {
                "fields": [
                    ("employer_name", "employer_credit_code", "employer_union"),
                    "description",
                    "wanted",
                    ("name", "mobile_display"),
                    ("station", "source_union", "region"),
                ]
            },
        ),
        (
            _("time limits (working days)"),
            {
                "fields": [
                    ("filed_at", "acknowledge_due_on", "resolve_due_on", "level_due_on"),
                    ("acknowledged_at", "resolved_at", "due_provisional"),
                ]
            },
        ),
        (
            pgettext_lazy("request", "result"),
            {"fields": ["resolution", ("reopen_count", "rating", "rating_comment"), "message_log"]},
        ),
        (_("handle"), {"fields": ["action", "handler_choice", ("department", "department_name"), "message"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        """The handling actions only for those who may act: read-only (city staff) they would be empty fields
        labelled with their internal names."""
        fieldsets = self.fieldsets if self.has_change_permission(request, obj) else self.fieldsets[:-1]
        reveal = self.reveal_fields(request) if obj is not None else []
        if not reveal:
            return fieldsets
        title, options = fieldsets[1]
        fields = [
            ("name", "mobile_display", *reveal) if field == ("name", "mobile_display") else field
            for field in options["fields"]
        ]
        return [fieldsets[0], (title, {**options, "fields": fields}), *fieldsets[2:]]

    def get_custom_views(self):
        return [
            AdminView(
                "attachment/<int:pk>/", attachment_download, "attachment_download", ("casework.view_requestattachment",)
            ),
            *super().get_custom_views(),
        ]

    def has_add_permission(self, request):
        return False  # requests come from workers, through the public page

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("current limit"), ordering="level_due_on")
    def due_display(self, obj):
        if not obj.is_open:
            return "—"
        today = timezone.localdate()
        if obj.level_due_on < today:
            return format_html('<strong style="color:#b00">{} {}</strong>', obj.level_due_on, _("overdue"))
        if obj.due_provisional:  # counted across a year whose holidays are not loaded: said, not hidden
            return format_html('{} <em style="color:#c60">{}</em>', obj.level_due_on, _("provisional due dates"))
        if obj.due_soon_on <= today:
            return format_html('<span style="color:#c60">{} {}</span>', obj.level_due_on, _("due soon"))
        return obj.level_due_on

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        users = get_user_model().objects.filter(is_active=True, is_staff=True)
        desk = Q(union_desks__union_id=obj.holder_id) if obj else Q(pk__in=[])
        form.base_fields["handler_choice"].queryset = (
            users.filter(Q(pk__in=scope_queryset(users, request.user).values("pk")) | desk)
            .distinct()
            .order_by("username")
        )
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        action, message = data.get("action"), (data.get("message") or "").strip()
        if not action:
            return
        user = request.user
        try:
            if action == "accept":
                handling.request_accept(request=obj, by=user, note=message)
            elif action == "assign":
                handling.request_assign(request=obj, handler=data["handler_choice"], by=user)
            elif action == "respond":
                handling.request_respond(request=obj, by=user, message=message)
            elif action == "forward":
                handling.request_forward(request=obj, by=user, reason=message)
            elif action == "refer":
                handling.request_refer(
                    request=obj,
                    by=user,
                    department=data["department"],
                    department_name=data.get("department_name") or "",
                    note=message,
                )
            elif action == "resolve":
                handling.request_resolve(request=obj, by=user, resolution=message)
        except ValidationError as exc:
            request._casework_outcome = (messages.ERROR, " ".join(exc.messages))
            return
        obj.refresh_from_db()
        request._casework_outcome = (messages.SUCCESS, str(ACTION_DONE[action]) % {"union": obj.holder})

    def response_change(self, request, obj):
        """The action's own message instead of "changed successfully"; a request that moved out of the
        user's reach (forwarded up) returns them to their list instead of a "does not exist" warning."""
        outcome = getattr(request, "_casework_outcome", None)
        if outcome is None:
            return super().response_change(request, obj)
        level, text = outcome
        self.message_user(request, text, level)
        if level == messages.SUCCESS and not self.get_queryset(request).filter(pk=obj.pk).exists():
            return HttpResponseRedirect(reverse("admin:casework_workerrequest_changelist"))
        return HttpResponseRedirect(request.path)


@admin.register(UnionHandler)
class UnionHandlerAdmin(ScopedModelAdmin):
    list_display = ["union", "user", "is_default"]
    list_select_related = ["union", "user"]
    autocomplete_fields = ["union"]
    raw_id_fields = ["user"]
    search_fields = ["union__name", "user__username", "user__first_name"]
