"""Spreadsheet reading and writing for every import and export."""

from unionhub.spreadsheets import xlsx_stream  # noqa: F401
from unionhub.spreadsheets.reading import (  # noqa: F401
    EXCEL_EPOCH,
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    SpreadsheetError,
    cell_text,
    map_headers,
    normalise_header,
    parse_date,
    read_rows,
    write_xlsx,
)
