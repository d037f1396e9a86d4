"""CSV as Excel on Chinese Windows reads it, and back.

* A UTF-8 byte-order mark first: without it Excel decodes a CSV as GBK and shows the Chinese garbled.
* Long digit strings (resident IDs, mobile, card and account numbers: 11 or more digits, an ID's final X
  too) start with a tab. Excel would read them as numbers and show 1.40521E+17, losing the last digits; a
  cell that starts with a tab is text, shown as the digits. Chosen over ``="…"``: that is a formula (what
  every export otherwise neutralises), other programs show it literally, and a tab is simply stripped on the
  way back in - by ``create_dataset`` here and by the roster import's cell reader.
"""

from __future__ import annotations

import re

from import_export.formats.base_formats import CSV

BOM = "\ufeff"
_LONG_DIGITS = re.compile(r"^[0-9]{10,}[0-9Xx]$")


def as_excel_text(value):
    if isinstance(value, str) and _LONG_DIGITS.match(value):
        return "\t" + value
    return value


class ExcelCSV(CSV):
    def export_data(self, dataset, **kwargs):
        for row_index, row in enumerate(dataset):
            dataset[row_index] = tuple(as_excel_text(value) for value in row)
        return BOM + super().export_data(dataset, **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        dataset = super().create_dataset(in_stream.removeprefix(BOM), **kwargs)
        for row_index, row in enumerate(dataset):
            dataset[row_index] = tuple(v[1:] if isinstance(v, str) and v.startswith("\t") else v for v in row)
        return dataset
