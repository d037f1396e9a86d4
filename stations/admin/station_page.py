"""The station page (the station admin's change form) as staff use it: the lifecycle steps (整改, 摘牌, 恢复) and
any open rectification notice at the top of the page, each step on a short page of its own; the 六有 items by
their Chinese labels wherever they are read-only; an inspector's "评估" one click from the station; the
multi-select hint ("Hold down Control, or Command on a Mac") left out - the two-box picker says what to do."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stations import services
from stations.admin.rating_display import liuyou_text
from stations.choices import STATUS_TRANSITIONS, StationStatus
from unionhub.admin.views import AdminView
from unionhub.personal import BANK_ACCOUNT, mask

# The steps offered at the top of the page: the status each leads to and its button.
STEPS = {
    "rectify": (StationStatus.RECTIFYING, _("Rectify (整改)")),
    "delist": (StationStatus.DELISTED, _("Delist (摘牌)")),
    "restore": (StationStatus.OPERATING, _("Restore (恢复)")),
}
LIFECYCLE_PERMISSIONS = ("stations.change_station", "stations.add_station")
# Fields a station manager may edit on their own station; everything else (status, plaque, money, rating,
# location, kind) is read-only for them.
MANAGER_EDITABLE = {"phone", "description", "open_24h", "facilities", "services"}
LIFECYCLE_FIELDS = {"new_status", "status_reason", "status_date"}


def can_manage_registry(request) -> bool:
    """County staff and above edit the registry; station managers only their station's day-to-day details."""
    return request.user.has_perm("stations.add_station")


class LifecycleForm(forms.Form):
    """One step: a rectification notice (findings and deadline) or a delisting/restoring (reason), and its date."""

    findings = forms.CharField(
        label=_("findings"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), required=False
    )
    deadline = forms.DateField(label=_("deadline"), widget=AdminDateWidget, required=False)
    reason = forms.CharField(label=_("reason for the change"), max_length=200, required=False)
    date = forms.DateField(label=_("date of the change"), widget=AdminDateWidget, required=False)

    def __init__(self, *args, step: str, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.step, self.station = step, station
        self.fields["date"].initial = timezone.localdate()
        if step == "rectify":
            del self.fields["reason"]
            self.fields["findings"].required = self.fields["deadline"].required = True
            self.fields["date"].label = _("issued on")
        else:
            del self.fields["findings"], self.fields["deadline"]
            self.fields["reason"].required = True

    def clean(self):
        cleaned = super().clean()
        to_status = STEPS[self.step][0]
        if self.step == "rectify":
            problems = services.rectification_problems(
                station=self.station, deadline=cleaned.get("deadline"), issued_on=cleaned.get("date"), step=True
            )
            for field, message in problems.items():
                self.add_error(field or None, message)
            return cleaned
        problems = services.status_change_problems(
            from_status=self.station.status, to_status=to_status, reason=cleaned.get("reason"), date=cleaned.get("date")
        )
        for problem, message in problems.items():
            self.add_error({"to_status": None, "reason": "reason", "date": "date"}[problem], message)
        return cleaned


def steps_for(station) -> list[dict]:
    """The steps the station's status allows, for the buttons at the top of its page."""
    allowed = STATUS_TRANSITIONS[StationStatus(station.status)]
    return [
        {
            "step": step,
            "label": label,
            "url": reverse("admin:stations_station_lifecycle", args=[station.pk]) + f"?step={step}",
        }
        for step, (to_status, label) in STEPS.items()
        if to_status in allowed
    ]


class StationPageMixin:
    """Mixed into ``StationAdmin``."""

    change_form_template = "admin/stations/station/change_form.html"

    def liuyou_read_only(self, request, obj) -> bool:
        return not (can_manage_registry(request) and self.has_change_permission(request, obj))

    def get_readonly_fields(self, request, obj=None):
        if can_manage_registry(request):
            return super().get_readonly_fields(request, obj)
        every = [f for fieldset in self.get_fieldsets(request, obj) for f in fieldset[1]["fields"]]
        return [f for f in every if f not in MANAGER_EDITABLE]

    def get_fieldsets(self, request, obj=None):
        """The lifecycle fields for county staff only; the 六有 items in words and the bank account masked
        where they are read-only (the masked numbers mixin swaps the account for users who only view)."""
        hidden = set() if can_manage_registry(request) else LIFECYCLE_FIELDS
        swap = {"liuyou": "liuyou_items"} if self.liuyou_read_only(request, obj) else {}
        if not can_manage_registry(request):
            swap["bank_account"] = "bank_account_display"
        return [
            (title, {**opts, "fields": [swap.get(f, f) for f in opts["fields"] if f not in hidden]})
            for title, opts in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("bank account number"))
    def bank_account_display(self, obj):
        return mask(obj.bank_account, BANK_ACCOUNT) if obj else ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        station = self.get_object(request, object_id)
        extra = {**self.station_page_context(request, station), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=extra)

    @admin.display(description=_("六有 checklist"))
    def liuyou_items(self, obj):
        items = [liuyou_text(value) for value in (obj.liuyou or [])] if obj else []
        if not items:
            return format_html('<span class="uh-muted">{}</span>', "—")
        return format_html('<span id="liuyou-items">{}</span>', "、".join(items))

    def get_list_display(self, request):
        """An inspector's list (待评估的站点 on the workbench leads here) has "评估" on each row: one click."""
        shown = list(super().get_list_display(request))
        if request.user.has_perm("stations.add_evaluation") and not can_manage_registry(request):
            shown.append("evaluate_link")
        return shown

    @admin.display(description=_("evaluation"))
    def evaluate_link(self, obj):
        url = reverse("admin:stations_evaluation_add") + f"?station={obj.pk}"
        return format_html('<a class="button uh-evaluate" href="{}">{}</a>', url, _("Evaluate (评估)"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None:  # Django appends "Hold down Control, or Command on a Mac…" to the help text
            formfield.help_text = db_field.help_text
        return formfield

    def station_page_context(self, request, station) -> dict:
        if station is None:
            return {}
        may_step = request.user.has_perms(LIFECYCLE_PERMISSIONS)
        notices = list(station.rectifications.filter(closed_on__isnull=True).order_by("deadline"))
        today = timezone.localdate()
        evaluate = None
        if request.user.has_perm("stations.add_evaluation"):
            evaluate = reverse("admin:stations_evaluation_add") + f"?station={station.pk}"
        return {
            "lifecycle_steps": steps_for(station) if may_step else [],
            "open_notices": [{"notice": n, "overdue": n.deadline < today} for n in notices],
            "evaluate_url": evaluate,
        }

    def lifecycle_view(self, request, station):
        step = request.GET.get("step") or request.POST.get("step")
        if step not in {s["step"] for s in steps_for(station)}:
            self.message_user(request, _("This step is not open to the station in its present status."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:stations_station_change", args=[station.pk]))
        form = LifecycleForm(request.POST or None, step=step, station=station)
        if request.method == "POST" and form.is_valid():
            try:
                self._take_step(request, station, step, form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("%(station)s: done.") % {"station": station.name}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:stations_station_change", args=[station.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": station,
            "title": STEPS[step][1],
            "form": form,
            "step": step,
            "media": self.media + form.media,
            "back_url": reverse("admin:stations_station_change", args=[station.pk]),
        }
        return TemplateResponse(request, "admin/stations/station/lifecycle.html", context)

    @staticmethod
    def _take_step(request, station, step: str, data: dict) -> None:
        date: dt.date = data.get("date") or timezone.localdate()
        if step == "rectify":
            services.rectification_issue(
                station=station, findings=data["findings"], deadline=data["deadline"], issued_on=date, user=request.user
            )
        elif step == "restore":
            services.station_restore(station=station, reason=data["reason"], user=request.user, date=date)
        else:
            services.station_change_status(
                station=station, to_status=StationStatus.DELISTED, reason=data["reason"], user=request.user, date=date
            )

    def lifecycle_views(self) -> list[AdminView]:
        return [
            AdminView(
                "<path:object_id>/lifecycle/", self.lifecycle_view, "lifecycle", LIFECYCLE_PERMISSIONS, ("GET", "POST")
            )
        ]
