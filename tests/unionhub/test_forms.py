"""The shared form fields (unionhub.forms)."""

from __future__ import annotations

import copy

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from unionhub.forms import FixedChoiceField


class PickForm(forms.Form):
    pick = FixedChoiceField(
        choices=[("", "—"), (_("New forms of employment"), [("a", _("active")), ("b", "B")]), ("c", "C")],
    )


def test_a_fixed_choice_accepts_options_in_and_out_of_groups_and_refuses_the_rest_in_chinese():
    for value in ("a", "b", "c"):
        assert PickForm({"pick": value}).is_valid()
    with translation.override("zh-hans"):
        form = PickForm({"pick": "New forms of employment"})  # a group's label is not an option
        assert not form.is_valid()
        assert "选择一个有效的选项" in form.errors["pick"][0]
        assert not PickForm({"pick": ""}).is_valid()  # required


def test_copies_share_the_choices_and_labels_are_translated_when_shown():
    first, second = PickForm(), PickForm()
    assert first.fields["pick"] is not second.fields["pick"]
    assert first.fields["pick"].choices is second.fields["pick"].choices is PickForm.base_fields["pick"].choices
    assert copy.deepcopy(first.fields["pick"]).widget.choices is first.fields["pick"].choices
    with translation.override("zh-hans"):
        html = str(first["pick"])
    assert '<optgroup label="新就业形态">' in html and '<option value="a">' in html
    with translation.override("en"):
        assert '<optgroup label="New forms of employment">' in str(second["pick"])
