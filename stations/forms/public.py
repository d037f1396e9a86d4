"""Forms of the public station pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from unionhub.forms import MobileField


class StationRatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("Your rating"),
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mobile = MobileField(help_text=gettext_lazy("Only to keep to one rating a month; it is not shown or shared."))
