"""Referrals to other departments and their follow-up: which are due to be followed up, and what came of them."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.admin.base import RequestReachAdmin
from casework.models import Referral
from casework.services.mediation import referral_follow_up
from unionhub.admin.helpers import person_of


class FollowUpFilter(admin.SimpleListFilter):
    title = _("follow-up")
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("due", _("due for follow-up")), ("done", _("followed up"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(followed_up_on__isnull=True, follow_up_on__lte=timezone.localdate())
        if self.value() == "done":
            return queryset.filter(followed_up_on__isnull=False)
        return queryset


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["follow_up_on", "followed_up_on", "follow_up_note"]

    def _post_clean(self):
        super()._post_clean()
        data = self.cleaned_data
        if not data.get("followed_up_on") and not data.get("follow_up_note"):
            return
        if not data.get("followed_up_on"):
            self.add_error("followed_up_on", _("Give the date of the follow-up."))
            return
        try:
            # A dry run of the service's rules on an unsaved copy: the message goes beside its field.
            copy = Referral(referred_on=self.instance.referred_on, department=self.instance.department)
            if not (data.get("follow_up_note") or "").strip():
                raise ValidationError({"follow_up_note": _("Write what the department did.")})
            if data["followed_up_on"] < copy.referred_on:
                raise ValidationError({"followed_up_on": _("A follow-up cannot come before the referral.")})
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                self.add_error(name, errors)


@admin.register(Referral)
class ReferralAdmin(RequestReachAdmin):
    reach_path = "request"
    form = FollowUpForm
    list_display = ["request", "department", "department_name", "referred_on", "follow_up_on", "followed_up_on"]
    list_filter = [FollowUpFilter, "department"]
    list_select_related = ["request"]
    search_fields = ["request__reference", "department_name"]
    readonly_fields = ["request", "department", "department_name", "referred_on", "note", "referred_by_person"]
    fields = [*readonly_fields, "follow_up_on", "followed_up_on", "follow_up_note"]

    referred_by_person = admin.display(description=_("referred by"))(person_of("referred_by"))

    def has_add_permission(self, request):
        return False  # a referral is made on the request's page (or by a case not settled)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if obj.followed_up_on:
            referral_follow_up(referral=obj, on=obj.followed_up_on, note=obj.follow_up_note)
        else:
            obj.full_clean()
            obj.save()
