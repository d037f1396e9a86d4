"""The station manager's one-screen form for the day: the activity, the visitor count and photos, sized for a
phone (number keypads, a camera-friendly file input)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from stations.selectors.logs import day_log_kinds, managed_stations


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input, as the list of uploads; the view has the service check and prepare each
    (``stations.services.logs.photos_check``)."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]


class DayLogForm(forms.Form):
    station = forms.ModelChoiceField(label=_("station"), queryset=None, empty_label=None)
    kind = forms.ModelChoiceField(label=_("kind of activity"), queryset=None)
    title = forms.CharField(label=_("what was held"), max_length=100)
    participants = forms.IntegerField(
        label=_("participants"),
        min_value=0,
        max_value=100000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
    )
    visitors = forms.IntegerField(
        label=_("visitors today"),
        min_value=0,
        max_value=100000,
        required=False,
        help_text=_("Everyone who used the station today; leave empty if not counted yet."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotosField(label=_("photos of the activity"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = managed_stations(user)
        self.fields["kind"].queryset = day_log_kinds(user)
        self.fields["photos"].widget.attrs.update({"accept": "image/jpeg,image/png,image/webp", "multiple": True})
        self.fields["photos"].help_text = _("Up to %(n)s photos, each at most %(size)s.") % {
            "n": settings.STATION_PHOTO_MAX_COUNT,
            "size": filesizeformat(settings.STATION_PHOTO_MAX_BYTES),
        }

    def apply_errors(self, exc: ValidationError) -> None:
        """A service's ValidationError beside the fields it names (unknown ones at the top)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)
