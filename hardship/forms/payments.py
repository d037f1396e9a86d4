"""The bank result file's upload form: the input's shape only (the service checks every row)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _


class ResultsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("bank result file"),
        help_text=_("XLSX, XLS or CSV (UTF-8 or GBK) as the bank returns it: payee, account, amount, result, reason."),
        validators=[FileExtensionValidator(["xlsx", "xls", "csv"], _("Upload an XLSX, XLS or CSV file."))],
    )


class AuditForm(forms.Form):
    """The auditor's workbook: a county among those reached, a year, and optionally one quarter of it."""

    county = forms.ChoiceField(label=_("county"))
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("the whole year")), (1, "1"), (2, "2"), (3, "3"), (4, "4")],
    )

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [(region.code, region.name) for region in counties]

    def period(self) -> tuple[dt.date, dt.date]:
        year, quarter = self.cleaned_data["year"], self.cleaned_data.get("quarter")
        if not quarter:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
        return start, end
