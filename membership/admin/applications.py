"""The review queue: oldest first, time waited against the 30-minute promise, automatic pre-checks, decisions
one at a time or in bulk (large batches as a Celery job)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from membership import selectors, services
from membership.choices import ApplicationStatus, BatchAction, BatchStatus
from membership.filtersets import (
    APPLICATION_STATUS_CHOICES,
    WAITING_CHOICES,
    applications_by_status,
    applications_waiting,
)
from membership.forms.join import ApplicationReviewForm, RejectForm
from membership.models import MembershipApplication, ReviewBatch
from membership.models.applications import decision_promise
from membership.selectors.lists import (
    APPLICATION_SEARCH_PLACEHOLDER,
    NUMBER_SEARCH_HELP,
    application_search,
    applications_reached,
)
from unionhub.admin.base import ScopedModelAdmin
from unionhub.admin.messages import MessageLogMixin
from unionhub.admin.personal import RevealAdminMixin
from unionhub.admin.search import PrivateSearchMixin
from unionhub.personal import MOBILE, RESIDENT_ID, mask

KEEP_SELECTED_KEY = "uh_queue_keep_selected"


def minutes_text(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return gettext("%(m)s min") % {"m": minutes}
    if minutes < 48 * 60:
        return gettext("%(h)s h %(m)s min") % {"h": minutes // 60, "m": minutes % 60}
    return gettext("%(d)s days") % {"d": minutes // (24 * 60)}


def flag_text(item) -> str:
    """Why a bulk decision left an application pending, naming it (most reasons do already)."""
    return item.reason if item.reference in item.reason else f"{item.reference}: {item.reason}"


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on the pending applications; "all" shows the decided ones too."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return APPLICATION_STATUS_CHOICES

    def choices(self, changelist):
        value = self.value() or ApplicationStatus.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return applications_by_status(queryset, self.value())  # as ApplicationFilterSet's ``status``


class WaitingFilter(admin.SimpleListFilter):
    title = _("waiting")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return WAITING_CHOICES

    def queryset(self, request, queryset):
        return applications_waiting(queryset, self.value())


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(MessageLogMixin, PrivateSearchMixin, RevealAdminMixin, ScopedModelAdmin):
    form = ApplicationReviewForm
    change_form_template = "admin/membership/membershipapplication/change_form.html"
    change_list_template = "admin/membership/membershipapplication/change_list.html"
    list_display = ["reference", "waited", "applicant", "union_and_source", "prechecks", "status"]
    list_display_links = ["reference", "applicant"]
    # The county is chosen with the area filter every list of rows in a region has (``unionhub.admin.areas``).
    list_filter = [StatusFilter, WaitingFilter, "channel", "occupation", "source_station"]
    search_fields = ["reference", "name"]  # see exact_search_fields and unionhub.search
    # The list selector's scope and search (membership.selectors.lists); the filters are ApplicationFilterSet's.
    scoped_base = staticmethod(applications_reached)
    list_search = staticmethod(application_search)  # also a mobile's or an ID's last four, an ID's first digits
    search_placeholder = APPLICATION_SEARCH_PLACEHOLDER
    search_help_text = NUMBER_SEARCH_HELP
    list_select_related = ["union", "county", "source_station", "source_union"]
    page_keys_first = True  # a search matching thousands joins only the page's 50 (unionhub.admin.scale)
    autocomplete_fields = ["union"]
    ordering = ["submitted_at", "pk"]
    actions = ["approve_selected", "reject_selected"]
    list_per_page = 50  # rendering is most of a queue page (README, Benchmarks): 100 rows took twice as long
    log_history = True  # no simple-history trail (the hot path); decisions are in the admin log

    # --- the queue ---------------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "promise_minutes": settings.MEMBERSHIP_DECISION_PROMISE_MINUTES,
            "overdue_count": selectors.pending_overdue_count(request.user),
            "batches": ReviewBatch.objects.filter(requested_by=request.user)
            .select_related("job")
            .exclude(job__status=BatchStatus.DONE)[:5],
        }
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        """Marks the oldest pending application of the user's scope, wherever the list is sorted."""
        changelist = super().get_changelist_instance(request)
        # The pre-checks for the page's rows only, with the oldest pending application: one query.
        selectors.page_prechecks(list(changelist.result_list), request.user, oldest_of=self.get_queryset(request))
        # The applications a bulk decision left pending stay ticked (``_bulk``), once, on the page after it.
        keep = set(request.session.pop(KEEP_SELECTED_KEY, []))
        for obj in changelist.result_list:
            obj.keep_selected = obj.pk in keep
        return changelist

    def action_checkbox(self, obj):
        box = super().action_checkbox(obj)
        if getattr(obj, "keep_selected", False):
            return mark_safe(box.replace('class="action-select"', 'class="action-select" checked', 1))
        return box

    def get_list_display(self, request):
        # In the queue of pending applications the status column says nothing.
        if request.GET.get("status", ApplicationStatus.PENDING) == ApplicationStatus.PENDING:
            return [name for name in self.list_display if name != "status"]
        return self.list_display

    @admin.display(description=_("time against the promise"), ordering="submitted_at")
    def waited(self, obj):
        """Pending: the time left to the promise, or how far past it; decided: how long the decision took."""
        delta = obj.waited()
        promise = decision_promise()
        submitted = timezone.localtime(obj.submitted_at).strftime("%Y-%m-%d %H:%M")
        if not obj.is_pending:
            css = "uh-bad" if delta > promise else "uh-ok"
            text = gettext("decided in %(t)s") % {"t": minutes_text(delta)}
        elif delta > promise:
            css, text = "uh-bad", "⚠ " + gettext("%(t)s past the promise") % {"t": minutes_text(delta - promise)}
        else:
            css = "uh-warn" if (promise - delta) * 3 < promise else "uh-ok"
            # Rounded up: 24 min 59 s left reads "25 min left", never "0 min left" while time remains.
            text = gettext("%(t)s left") % {"t": minutes_text(promise - delta + dt.timedelta(seconds=59))}
        title = gettext("submitted %(at)s, waited %(t)s") % {"at": submitted, "t": minutes_text(delta)}
        oldest = " uh-oldest" if getattr(obj, "is_oldest", False) else ""
        label = format_html(' <span class="uh-badge uh-bad">{}</span>', gettext("oldest")) if oldest else ""
        return format_html('<span class="uh-badge {}{}" title="{}">{}</span>{}', css, oldest, title, text, label)

    @admin.display(description=_("applicant"), ordering="name")
    def applicant(self, obj):
        return format_html(
            '<strong>{}</strong> <span class="uh-muted">{}</span><br><span class="uh-muted uh-nowrap">{}</span> '
            '<span class="uh-muted uh-nowrap">{}</span>',
            obj.name,
            obj.get_occupation_display(),
            mask(obj.resident_id, RESIDENT_ID),
            mask(obj.mobile, MOBILE),
        )

    @admin.display(description=_("union · from"), ordering="union__name")
    def union_and_source(self, obj):
        return format_html('{}<br><span class="uh-muted">{}</span>', self.union_display(obj), self.source_display(obj))

    @admin.display(description=_("union"), ordering="union__name")
    def union_display(self, obj):
        if obj.union_id:
            return obj.union.name
        return format_html(
            '<span class="uh-muted">{}</span>', gettext("holding pool of %(c)s") % {"c": obj.county or "?"}
        )

    @admin.display(description=_("came from"))
    def source_display(self, obj):
        if obj.source_station_id:
            return obj.source_station.name
        if obj.source_union_id:
            return obj.source_union.name
        return obj.get_channel_display()

    @admin.display(description=_("pre-checks"))
    def prechecks(self, obj):
        """ID valid, already a member, duplicate pending application, union found."""
        checks = []
        valid = selectors.id_is_valid(obj.resident_id)
        checks.append(("uh-ok" if valid else "uh-bad", gettext("ID valid") if valid else gettext("ID invalid")))
        if getattr(obj, "is_member", False):
            checks.append(("uh-warn", gettext("already a member: a transfer request")))
            if getattr(obj, "mobile_matches", False):
                checks.append(("uh-ok", gettext("mobile matches the member's")))
            else:
                checks.append(("uh-bad", gettext("mobile differs from the member's")))
        if getattr(obj, "has_duplicate", False):
            checks.append(("uh-warn", gettext("duplicate pending")))
        if obj.union_id:
            checks.append(("uh-ok", gettext("union found")))
        else:
            checks.append(("uh-warn", gettext("no union: pool")))
        return format_html_join(" ", '<span class="uh-badge {}">{}</span>', checks)

    # --- one application ---------------------------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # applications come from the public join page

    def get_fieldsets(self, request, obj=None):
        person = ["name", "resident_id_display", "gender", "birth_date", "mobile_display"]
        if obj is not None:
            person += self.reveal_fields(request)
        decision = ["union", "rejection_reason", "decided_at", "decided_by", "member_link", "notified_at"]
        decision.append("message_log")
        if obj is not None and obj.is_pending:
            # Pending: the decision comes first, right under the decision bar (see the change form template).
            return [
                (_("Decision"), {"fields": ["union", "rejection_reason"]}),
                (None, {"fields": ["reference", "submitted_at", "status"]}),
                (_("Applicant"), {"fields": person}),
                (_("Work"), {"fields": ["employer", "occupation", "county"]}),
                (_("Source"), {"fields": ["source_display", "event", "consent_version", "consented_at"]}),
            ]
        return [
            (None, {"fields": ["reference", "submitted_at", "waited", "prechecks", "status"]}),
            (_("Applicant"), {"fields": person}),
            (_("Work"), {"fields": ["employer", "occupation", "county"]}),
            (_("Source"), {"fields": ["source_display", "event", "consent_version", "consented_at"]}),
            (_("Decision"), {"fields": decision}),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            "reference",
            "name",
            "resident_id_display",
            "gender",
            "birth_date",
            "mobile_display",
            "reveal",
            "employer",
            "occupation",
            "county",
            "source_display",
            "event",
            "consent_version",
            "consented_at",
            "submitted_at",
            "waited",
            "prechecks",
            "status",
            "decided_at",
            "decided_by",
            "member_link",
            "notified_at",
            "message_log",
        ]
        if obj is not None and not obj.is_pending:
            readonly += ["union", "rejection_reason"]
        return readonly

    @admin.display(description=_("member"))
    def member_link(self, obj):
        if not obj.member_id:
            return "—"
        url = reverse("admin:membership_member_change", args=[obj.member_id])
        return format_html('<a href="{}">{}</a>', url, obj.member)

    def get_object(self, request, object_id, from_field=None):
        # The change page shows the pre-checks too.
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            flags = selectors.applications_with_prechecks(MembershipApplication.objects.filter(pk=obj.pk), request.user)
            obj.is_member, obj.mobile_matches, obj.has_duplicate = flags.values_list(
                "is_member", "mobile_matches", "has_duplicate"
            ).get()
        return obj

    def save_model(self, request, obj, form, change):
        """Save the reviewer's union choice; "approve" and "reject" go through the services."""
        if "_approve" in request.POST:
            self._decide(request, obj, BatchAction.APPROVE, union=form.cleaned_data.get("union"))
        elif "_reject" in request.POST:
            self._decide(request, obj, BatchAction.REJECT, reason=form.cleaned_data.get("rejection_reason", ""))
        elif obj.is_pending:
            obj.full_clean(exclude=["source_station", "source_union", "decided_by", "member"])
            obj.save(update_fields=["union", "county", "rejection_reason"])

    def _decide(self, request, obj, action, union=None, reason=""):
        try:
            if action == BatchAction.APPROVE:
                member = services.application_approve(application=obj, by=request.user, union=union)
                self.message_user(
                    request,
                    gettext("Approved: %(name)s, card number %(card)s, %(union)s.")
                    % {"name": member.name, "card": member.card_number, "union": member.union},
                    messages.SUCCESS,
                )
            else:
                services.application_reject(application=obj, by=request.user, reason=reason)
                self.message_user(request, gettext("Rejected: %(ref)s.") % {"ref": obj.reference}, messages.WARNING)
        except ValidationError as exc:
            request._uh_decision_failed = True
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        # "审核入会申请" while it waits, "入会申请" once decided - not Django's "修改 入会申请".
        title = gettext("Review the membership application") if obj is not None and obj.is_pending else None
        extra = {"title": title or gettext("Membership application"), **(extra_context or {})}
        if obj is not None and obj.is_pending:
            # The decision bar at the top of the page: the time against the promise and the pre-checks.
            extra |= {"decision_waited": self.waited(obj), "decision_checks": self.prechecks(obj)}
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def response_change(self, request, obj):
        if getattr(request, "_uh_decision_failed", False):
            # A refused decision (a rejection without a reason, say) keeps the reviewer on this application,
            # with the message at the top; the queue would lose it.
            return HttpResponseRedirect(request.get_full_path())
        if "_approve" in request.POST or "_reject" in request.POST:
            # Back to the queue, to the next application.
            return HttpResponseRedirect(reverse("admin:membership_membershipapplication_changelist"))
        return super().response_change(request, obj)

    def log_change(self, request, obj, message):
        if "_approve" in request.POST or "_reject" in request.POST:
            message = [{"changed": {"fields": [gettext("decision")]}}]
        return super().log_change(request, obj, message)

    # --- bulk decisions ----------------------------------------------------------------------------------

    def _bulk(self, request, queryset, action: str, reason: str = ""):
        ids = list(queryset.filter(status=ApplicationStatus.PENDING).values_list("pk", flat=True))
        if not ids:
            self.message_user(request, gettext("None of the selected applications is pending."), messages.WARNING)
            return None
        try:
            outcome = services.applications_bulk_decide(
                application_ids=ids, action=action, by=request.user, reason=reason
            )
        except ValidationError as exc:
            self.message_user(
                request, gettext("Nothing was decided: %(error)s") % {"error": "; ".join(exc.messages)}, messages.ERROR
            )
            return None
        if isinstance(outcome, ReviewBatch):
            batch = outcome
            url = reverse("admin:membership_reviewbatch_change", args=[batch.pk])
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    gettext("%(count)s applications are being decided in the background.") % {"count": len(ids)},
                    url,
                    gettext("Follow the progress"),
                ),
                messages.INFO,
            )
            return None
        if outcome.decided or not outcome.flagged:
            self.message_user(
                request,
                gettext("%(decided)s applications decided, %(skipped)s skipped (already decided).")
                % {"decided": outcome.decided, "skipped": outcome.skipped},
                messages.SUCCESS,
            )
        if outcome.flagged:
            # What could not be decided, each with its reason, and still ticked on the list the action returns
            # to (the same filters and page), to open one by one or reject with a reason.
            request.session[KEEP_SELECTED_KEY] = [item.pk for item in outcome.flagged]
            self.message_user(
                request,
                format_html(
                    "{}{}",
                    gettext("%(count)s applications were left pending and stay selected:")
                    % {"count": len(outcome.flagged)},
                    format_html_join("", "<br>· {}", ((flag_text(item),) for item in outcome.flagged)),
                ),
                messages.ERROR,
            )
        return None

    @admin.action(description=_("Approve selected applications"), permissions=["change"])
    def approve_selected(self, request, queryset):
        return self._bulk(request, queryset, BatchAction.APPROVE)

    @admin.action(description=_("Reject selected applications…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            return self._bulk(request, queryset, BatchAction.REJECT, reason=form.cleaned_data["reason"])
        return TemplateResponse(
            request,
            "admin/membership/reject.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Reject applications"),
                "form": form,
                "queryset": queryset[:200],
                "count": queryset.count(),
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
                "action": "reject_selected",
            },
        )
