"""Input shapes for outreach's admin pages (the admin applies the services' rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.models.regions import Region


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input (checked by the service, all or none)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class EmployerImportForm(forms.Form):
    county = forms.ModelChoiceField(Region.objects.none(), label=_("county"))
    file = forms.FileField(label=_("file"), help_text=_("XLSX, XLS or CSV, as received from market regulation."))
    partial = forms.BooleanField(
        label=_("import the good rows even if some rows have errors"), required=False, initial=False
    )

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties if counties is not None else Region.objects.none()


class FoundUnionForm(forms.Form):
    name = forms.CharField(label=_("union name"), max_length=100, required=False)
    chair = forms.CharField(label=_("union chair"), max_length=50, required=False)
