"""Requests in the admin: the handler's list, the timeline, and the handling actions as one form."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.admin.attachments import AttachmentInline, attachment_download
from casework.admin.base import RequestReachAdmin
from casework.admin.request_filters import DueFilter, EscalationFilter, MineFilter
from casework.forms.admin import IntakeForm, PersonChoiceField, RequestActionForm
from casework.models import Referral, RequestEvent, WorkerRequest
from casework.selectors.lists import REQUEST_SEARCH_HELP, REQUEST_SEARCH_PLACEHOLDER, request_search
from casework.selectors.reach import handler_candidates, person_label, request_actable, request_reached
from casework.services import handling
from casework.services.mediation import mediation_open
from casework.services.requests import request_file
from casework.services.routing import request_route
from stations.models import Station
from unionhub.admin.base import ReadOnlyAdminMixin
from unionhub.admin.helpers import person_of
from unionhub.admin.messages import MessageLogMixin
from unionhub.admin.personal import RevealAdminMixin
from unionhub.admin.search import PrivateSearchMixin
from unionhub.admin.views import AdminView
from unionhub.models import OrganizationKind, UnionOrganization
from unionhub.scoping import scope_queryset

ACTION_DONE = {
    "accept": _("Accepted: the worker sees that you are handling it."),
    "assign": _("Given to the new handler; the time limits keep running."),
    "respond": _("Your reply is on the worker's status page."),
    "forward": _("Forwarded to %(union)s, which now holds the request."),
    "refer": _("Referred; the request is resolved with the referral."),
    "resolve": _("Resolved: the worker can now rate the handling."),
    "mediate": _("In mediation: case %(number)s is open; the worker follows it on the status page."),
}


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RequestEvent
    fields = ["at", "kind", "from_union", "to_union", "actor_person", "note"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("timeline")

    actor_person = admin.display(description=_("by"))(person_of("actor"))


class ReferralInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Referral
    fields = ["referred_on", "department", "department_name", "note", "referred_by_person"]
    readonly_fields = fields
    extra = 0

    referred_by_person = admin.display(description=_("referred by"))(person_of("referred_by"))


@admin.register(WorkerRequest)
class WorkerRequestAdmin(MessageLogMixin, PrivateSearchMixin, RevealAdminMixin, RequestReachAdmin):
    form = RequestActionForm
    list_display = [
        "reference",
        "category",
        "employer_name",
        "holder",
        "handler_display",
        "status",
        "due_display",
        "escalation_level",
        "rating",
        "filed_at",
    ]
    list_filter = [MineFilter, DueFilter, "status", "category", EscalationFilter]
    search_fields = ["reference", "employer_name", "name"]
    # The list selector's search (a mobile or its last four too), by POST and a session token: no term in a URL.
    list_search = staticmethod(request_search)
    search_placeholder = REQUEST_SEARCH_PLACEHOLDER
    search_help_text = REQUEST_SEARCH_HELP
    list_select_related = ["holder", "handler"]
    date_hierarchy = "filed_at"
    inlines = [EventInline, ReferralInline, AttachmentInline]
    readonly_fields = [
        "reference",
        "category",
        "status",
        "holder",
        "handler_display",
        "escalation_level",
        "channel",
        "confidential",
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
        "outcome",
        "mediation_display",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    ("category", "status", "channel", "confidential"),
                    ("holder", "handler_display", "escalation_level"),
                ]
            },
        ),
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
            {
                "fields": [
                    ("resolution", "outcome"),
                    "mediation_display",
                    ("reopen_count", "rating", "rating_comment"),
                    "message_log",
                ]
            },
        ),
        (
            _("handle"),
            {
                "fields": [
                    "action",
                    "handler_choice",
                    ("department", "department_name"),
                    "mediation_station",
                    "resolve_outcome",
                    "message",
                ]
            },
        ),
    ]

    intake_fieldsets = [
        (None, {"fields": [("channel", "category"), ("county", "station"), "confidential"]}),
        (
            _("the worker's request"),
            {
                "fields": [
                    ("employer_name", "employer_credit_code"),
                    "description",
                    "wanted",
                    ("name", "mobile"),
                    "consent",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        """The handling actions only for those who may act: read-only (city staff, or a lower level once a
        higher union holds the request) they would be empty fields labelled with their internal names. The
        add page is staff intake."""
        if obj is None:
            return self.intake_fieldsets
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

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if obj is not None else []

    def has_change_permission(self, request, obj=None):
        """A request is acted on where it is held: the lower level reads one a higher union holds."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or request_actable(obj, request.user))

    @admin.display(description=_("handler"), ordering="handler__first_name")
    def handler_display(self, obj):
        if obj.handler is None:
            return "—"
        return obj.handler.get_full_name() or _("(name not given)")

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

    @admin.display(description=_("mediation"))
    def mediation_display(self, obj):
        cases = list(obj.mediation_cases.all()) if obj and obj.pk else []
        if not cases:
            return "—"
        return format_html_join(
            "、",
            '<a href="{}">{}</a> ({})',
            (
                (reverse("admin:casework_mediationcase_change", args=[c.pk]), c.number, c.get_status_display())
                for c in cases
            ),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return self._intake_form(request, **kwargs)
        form = super().get_form(request, obj, change=change, **kwargs)
        desks = Station.objects.filter(teams__kind="mediation")
        county = Q(region__code__startswith=obj.region_id[:6]) if obj else Q(pk__in=[])
        form.base_fields["mediation_station"].queryset = (
            desks.filter(Q(pk__in=scope_queryset(desks, request.user).values("pk")) | county)
            .distinct()
            .order_by("name")
        )
        # A fresh field on this request's form class (never a change to a field shared between requests).
        form.base_fields["handler_choice"] = PersonChoiceField(
            label=_("new handler"),
            queryset=handler_candidates(obj, request.user),
            required=False,
            label_of=person_label,
        )
        return form

    def _intake_form(self, request, **kwargs):
        """Staff intake: the filing service's routing checked in ``clean`` (errors beside the fields), the
        county and station choices those the user reaches."""
        kwargs["form"] = IntakeForm
        kwargs["fields"] = None
        base = super().get_form(request, None, change=False, **kwargs)
        user = request.user
        federations = UnionOrganization.objects.filter(kind=OrganizationKind.COUNTY_FEDERATION).select_related("region")
        reached = scope_queryset(federations, user)
        counties = [(union.region_id, union.region.name) for union in (reached if reached.exists() else federations)]
        stations = scope_queryset(Station.objects.all(), user).order_by("code")

        class Intake(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                self.fields["county"].choices = [("", "—"), *counties]
                self.fields["station"].queryset = stations

            def clean(self):
                data = super().clean()
                if self.errors:
                    return data
                try:
                    request_route(
                        employer_name=data["employer_name"],
                        employer_credit_code=data.get("employer_credit_code") or "",
                        station=data.get("station"),
                        county_code=data.get("county") or None,
                        confidential=data.get("confidential", False),
                    )
                except ValidationError as exc:
                    raise ValidationError(exc.messages) from exc
                return data

        return Intake

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        return request_file(
            category=data["category"],
            employer_name=data["employer_name"],
            employer_credit_code=data.get("employer_credit_code") or "",
            description=data["description"],
            wanted=data["wanted"],
            name=data.get("name") or "",
            mobile=data["mobile"],
            consent=data["consent"],
            station=data.get("station"),
            county_code=data.get("county") or None,
            channel=data["channel"],
            confidential=data.get("confidential", False),
            filed_by=request.user,
        )

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        """The reference to read out to the worker (it is also sent to them by message); the request's page
        when the user reaches it (a confidential one may go to a desk they do not see), else the list."""
        self.message_user(
            request,
            _("Registered as %(reference)s, held by %(union)s; the reference is sent to the worker.")
            % {"reference": obj.reference, "union": obj.holder},
            messages.SUCCESS,
        )
        if request_reached(obj, request.user):
            return HttpResponseRedirect(reverse("admin:casework_workerrequest_change", args=[obj.pk]))
        return HttpResponseRedirect(reverse("admin:casework_workerrequest_changelist"))

    def save_model(self, request, obj, form, change):
        if not change:
            return  # filed by ``save_form``
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
                handling.request_resolve(request=obj, by=user, resolution=message, outcome=data["resolve_outcome"])
            elif action == "mediate":
                case = mediation_open(
                    station=data["mediation_station"],
                    category=obj.category,
                    summary=message or obj.description,
                    received_on=timezone.localdate(),
                    request=obj,
                    by=user,
                )
        except ValidationError as exc:
            request._casework_outcome = (messages.ERROR, " ".join(exc.messages))
            return
        obj.refresh_from_db()
        number = case.number if action == "mediate" else ""
        request._casework_outcome = (
            messages.SUCCESS,
            str(ACTION_DONE[action]) % {"union": obj.holder, "number": number},
        )

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
