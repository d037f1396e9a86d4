"""django-import-export's file formats, written by the one writer (``writing``): the admin's export of every
model is the same XLSX (frozen bold header, fitted columns, long digit strings as text cells) and the same CSV
for Excel (BOM, long digit strings behind a tab) as every other download. Imports read through the library
as before; a CSV's tabs before long digit strings are stripped on the way back in."""

from __future__ import annotations

import io

from import_export.formats.base_formats import CSV, XLSX

from unionhub.spreadsheets.writing import BOM, Sheet, write_csv, write_xlsx


def _sheet(dataset) -> Sheet:
    return Sheet(dataset.title or "Sheet", dataset.headers or [], dataset)


class ExcelXLSX(XLSX):
    """XLSX export through ``writing.write_xlsx``; import as the library reads it."""

    def export_data(self, dataset, **kwargs) -> bytes:
        return write_xlsx(_sheet(dataset))


class ExcelCSV(CSV):
    """CSV for Excel on Chinese Windows through ``writing.write_csv``; import strips the tabs it added."""

    def export_data(self, dataset, **kwargs) -> str:
        text = io.StringIO()
        write_csv(_sheet(dataset), to=text)
        return text.getvalue()

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        dataset = super().create_dataset(in_stream.removeprefix(BOM), **kwargs)
        for row_index, row in enumerate(dataset):
            dataset[row_index] = tuple(v[1:] if isinstance(v, str) and v.startswith("\t") else v for v in row)
        return dataset
