"""The bank result file's upload form: the input's shape only (the service checks every row)."""

from __future__ import annotations

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _


class ResultsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("bank result file"),
        help_text=_("XLSX, XLS or CSV (UTF-8 or GBK) as the bank returns it: payee, account, amount, result, reason."),
        validators=[FileExtensionValidator(["xlsx", "xls", "csv"], _("Upload an XLSX, XLS or CSV file."))],
    )
