"""Money as staff read it: yuan to the fen, grouped by thousands, everywhere (lists, pages, prints, files).

One formatter for the whole product: ``format_yuan(Decimal("18824.66"))`` → ``"18,824.66"``;
``format_yuan(133578.8)`` → ``"133,578.80"``; ``None`` → ``""``. Django's zh-hans number format has no
grouping and a DecimalField with more places than two prints them all ("18824.6600000000"), so amounts are
never left to ``str`` or ``floatformat``. Spreadsheets keep the number (a ``Decimal``) and give the cell the
``#,##0.00`` format (``MONEY_FORMAT``), so a finance office can sum the column.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MONEY_FORMAT = "#,##0.00"  # the number format of a money cell in the workbooks we write


def to_fen(value) -> Decimal:
    """A Decimal rounded half-up to the fen (never through float)."""
    return Decimal(str(value) if isinstance(value, float) else value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_yuan(value) -> str:
    """An amount as read: thousands separators and two decimals; blank for no amount."""
    if value in (None, ""):
        return ""
    try:
        return f"{to_fen(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
