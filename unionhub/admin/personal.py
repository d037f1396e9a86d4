"""Personal numbers in the admin, one way for every model that holds them (members, applications, workers'
requests, mediation parties): masked columns and read-only values, write-only inputs, and the logged reveal.

Nothing here keeps the request or the user on the ModelAdmin or the form (both are shared by every thread of
a worker): display methods take only the object and always mask; what depends on the user is decided in the
``get_*`` hooks, which receive the request, and the full value leaves only through the reveal page, which
calls :meth:`unionhub.personal.PersonalData.reveal` (permission checked, reveal logged)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from unionhub.admin.views import AdminView
from unionhub.personal import (
    BANK_ACCOUNT,
    MOBILE,
    PERSONAL_FIELDS,
    RESIDENT_ID,
    REVEAL_PERMISSION,
    mask,
    personal_data,
)

DISPLAY = {name: f"{name}_display" for name in PERSONAL_FIELDS}


def _personal_names(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if field.name in PERSONAL_FIELDS]


def _masked_names(fields):
    return [
        tuple(DISPLAY.get(name, name) for name in field)
        if isinstance(field, list | tuple)
        else DISPLAY.get(field, field)
        for field in fields
    ]


class MaskedNumbersMixin:
    """``resident_id_display`` / ``mobile_display`` (masked, for lists and read-only pages), and, for users who
    may only view, the raw personal fields replaced by them wherever the page would print the stored value."""

    @admin.display(description=_("resident ID number"))
    def resident_id_display(self, obj):
        return mask(obj.resident_id, RESIDENT_ID)

    @admin.display(description=_("mobile number"))
    def mobile_display(self, obj):
        return mask(obj.mobile, MOBILE)

    @admin.display(description=_("bank account"))
    def bank_account_display(self, obj):
        return mask(obj.bank_account, BANK_ACCOUNT)

    def _numbers_read_only(self, request, obj) -> bool:
        """Whether the page prints stored values instead of inputs (a user who may only view)."""
        if isinstance(self, admin.options.InlineModelAdmin):
            return not self.has_change_permission(request, obj)
        return obj is not None and not self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._numbers_read_only(request, obj):
            return fieldsets
        return [(title, {**options, "fields": _masked_names(options["fields"])}) for title, options in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._numbers_read_only(request, obj):
            readonly += [DISPLAY[name] for name in _personal_names(self.model)]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = _with_write_only_numbers(kwargs.get("form", self.form))
        return super().get_form(request, obj, change=change, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = _with_write_only_numbers(kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)


class WriteOnlyNumbersForm(forms.ModelForm):
    """A saved row's ID and mobile number are never put back into the page: the input is empty, its
    placeholder shows the masked value, and an empty input keeps the stored number (a new one replaces it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._write_only = []
        if self.instance.pk is None:
            return
        for name, kind in PERSONAL_FIELDS.items():
            field = self.fields.get(name)
            stored = getattr(self.instance, name, "")
            if field is None or not stored:
                continue
            self.initial[name] = ""
            field.required = False
            field.widget.attrs["placeholder"] = mask(stored, kind)
            field.help_text = gettext("Leave empty to keep the number shown; type a new one to replace it.")
            self._write_only.append(name)

    def clean(self):
        cleaned = super().clean()
        for name in self._write_only:
            if not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name)
                self.errors.pop(name, None)
        return cleaned


_FORMS: dict[type, type] = {}


def _with_write_only_numbers(form_class):
    """``form_class`` with :class:`WriteOnlyNumbersForm` mixed in (made once per class, at first use)."""
    if issubclass(form_class, WriteOnlyNumbersForm):
        return form_class
    made = _FORMS.get(form_class)
    if made is None:
        made = type(f"WriteOnly{form_class.__name__}", (WriteOnlyNumbersForm, form_class), {})
        _FORMS[form_class] = made
    return made


class RevealAdminMixin(MaskedNumbersMixin):
    """Adds ``<id>/reveal/`` (GET asks, POST shows the full numbers and logs the reveal) and the ``reveal``
    button, which ``get_reveal_fields`` puts on the change page of users who may reveal. Out of scope behaves
    as missing (``checked_view``)."""

    def _reveal_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_reveal"

    @admin.display(description=_("full numbers"))
    def reveal(self, obj):
        if obj is None or not obj.pk:
            return "—"
        url = reverse(f"{self.admin_site.name}:{self._reveal_url_name()}", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, gettext("Show in full (logged)"))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if "reveal" in readonly else [*readonly, "reveal"]

    def reveal_fields(self, request) -> list[str]:
        """``["reveal"]`` for a user who may reveal, else nothing: for a fieldset's field list."""
        return ["reveal"] if personal_data(request).may_reveal else []

    def get_custom_views(self):
        view = f"{self.opts.app_label}.view_{self.opts.model_name}"
        reveal = AdminView(
            "<path:object_id>/reveal/", self.reveal_view, "reveal", (view, REVEAL_PERMISSION), ("GET", "POST")
        )
        return [reveal, *super().get_custom_views()]

    def reveal_targets(self, obj) -> list:
        """Whose numbers the reveal page shows: the object itself (a mediation case: its parties)."""
        return [obj]

    def reveal_view(self, request, obj):
        asked = request.method == "POST"
        rows = []
        for target in self.reveal_targets(obj):
            names = [name for name in _personal_names(type(target)) if getattr(target, name, "")]
            values = personal_data(request).reveal(target, names) if asked and names else {}
            for name in names:
                label = type(target)._meta.get_field(name).verbose_name
                rows.append(
                    {
                        "label": label if target is obj else f"{target} · {label}",
                        "css": name.replace("_", "-") if target is obj else f"{name.replace('_', '-')}-{target.pk}",
                        "masked": mask(getattr(target, name), PERSONAL_FIELDS[name]),
                        "value": values.get(name, ""),
                    }
                )
        return TemplateResponse(
            request,
            "admin/unionhub/reveal.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": obj,
                "title": gettext("Full ID and mobile number"),
                "values": asked,
                "rows": rows,
                "back_url": reverse(
                    f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
                ),
            },
        )
