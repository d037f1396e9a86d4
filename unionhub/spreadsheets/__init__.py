"""Spreadsheet reading and writing for every import and export."""

from unionhub.spreadsheets import xlsx_stream  # noqa: F401
from unionhub.spreadsheets.layout import IGNORE, Table, locate_table, map_headers, normalise_header  # noqa: F401
from unionhub.spreadsheets.reading import (  # noqa: F401
    EXCEL_EPOCH,
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    NOT_A_WORKBOOK,
    SpreadsheetError,
    cell_text,
    parse_date,
    read_rows,
    sheet_reader,
)
from unionhub.spreadsheets.writing import (  # noqa: F401
    DATE,
    MONEY,
    TEXT,
    Sheet,
    SpreadsheetWriter,
    write_csv,
    write_xlsx,
)
