"""Form fields every app uses."""

from __future__ import annotations

from django import forms
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.translation import gettext_lazy as _

from unionhub.validators import normalize_mobile


class MobileField(forms.CharField):
    """A mainland mobile number, typed on a phone keyboard and normalised (+86, spaces, dashes)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        return normalize_mobile(super().clean(value))


class FixedChoices(BaseChoiceIterator):
    """Choices nothing changes, normalised once: a copy of a field or widget shares them."""

    def __init__(self, choices):
        self.choices = normalize_choices(choices)

    def __iter__(self):
        return iter(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


class FixedChoiceField(forms.ChoiceField):
    """A choice among values fixed when the form is defined (their labels may be lazy: they are translated when
    shown). Every copy of the form shares the choices instead of copying and normalising them again, and a
    value is checked against a set instead of by walking the groups: on a public form posted hundreds of times
    a second, Django's ChoiceField spent a third of the form's time on its choices."""

    def __init__(self, *, choices, **kwargs):
        super().__init__(choices=FixedChoices(choices), **kwargs)
        values = set()
        for key, label in self.choices:
            if isinstance(label, (list, tuple)):  # a group of options
                values.update(str(option) for option, _label in label)
            else:
                values.add(str(key))
        self.values = frozenset(values)

    def valid_value(self, value) -> bool:
        return str(value) in self.values
