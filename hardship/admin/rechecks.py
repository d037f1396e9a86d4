"""The county's criteria and the yearly re-checks in the admin (the re-check marked done through the
service, which moves the household's next due date)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext

from hardship.admin.households import DueFilter
from hardship.models import CountyCriteria, Recheck
from hardship.selectors.lists import rechecks_reached
from hardship.services.rechecks import recheck_done
from unionhub.admin.base import ScopedModelAdmin
from unionhub.scoping import reach_of


@admin.register(CountyCriteria)
class CountyCriteriaAdmin(ScopedModelAdmin):
    list_display = ["county", "year", "minimum_living", "deep_multiple", "relative_multiple", "notice_days"]
    list_filter = ["year"]
    autocomplete_fields = ["county"]

    def get_changeform_initial_data(self, request):
        return {"county": reach_of(request.user).region_code, **super().get_changeform_initial_data(request)}


class RecheckForm(forms.ModelForm):
    class Meta:
        model = Recheck
        fields = ["household", "year", "due_on", "done_on", "note"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("done_on") and not (cleaned.get("note") or "").strip():
            self.add_error("note", gettext("Write down what the re-check found."))
        return cleaned


@admin.register(Recheck)
class RecheckAdmin(ScopedModelAdmin):
    form = RecheckForm
    scoped_base = staticmethod(rechecks_reached)
    list_display = ["household", "year", "due_on", "done_on", "note"]
    list_filter = ["year", DueFilter]
    autocomplete_fields = ["household"]
    search_fields = ["household__head_name"]

    def save_model(self, request, obj, form, change):
        if change and obj.done_on and "done_on" in form.changed_data:
            recheck_done(recheck=obj, note=obj.note, user=request.user, on=obj.done_on)
        else:
            super().save_model(request, obj, form, change)
