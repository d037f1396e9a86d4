"""Forms of the public station pages."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from unionhub.forms import MobileField

RATING_WORDS = {
    5: gettext_lazy("very satisfied"),
    4: gettext_lazy("satisfied"),
    3: gettext_lazy("so-so"),
    2: gettext_lazy("not satisfied"),
    1: gettext_lazy("not at all satisfied"),
}


class StationRatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("Your rating"),
        # The stars with their word beside them (适老化): 很满意 … 很不满意.
        choices=[(n, format_lazy("{} {}", "★" * n + "☆" * (5 - n), RATING_WORDS[n])) for n in range(5, 0, -1)],
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
