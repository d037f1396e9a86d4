"""Input shapes for outreach's admin pages (the admin applies the services' rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from membership.models.roster import ImportMode
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
    """The upload: the county and the file. What to do with rows in error is asked on the preview."""

    county = forms.ModelChoiceField(Region.objects.none(), label=_("county"))
    file = forms.FileField(label=_("file"), help_text=_("XLSX, XLS or CSV, as received from market regulation."))

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties if counties is not None else Region.objects.none()
        if counties is not None and len(counties) == 1:
            self.fields["county"].initial = counties[0].pk


class EmployerImportConfirmForm(forms.Form):
    mode = forms.ChoiceField(label=_("mode"), choices=ImportMode.choices, widget=forms.RadioSelect)


class FoundUnionForm(forms.Form):
    name = forms.CharField(label=_("union name"), max_length=100, required=False)
    chair = forms.CharField(label=_("union chair"), max_length=50, required=False)
