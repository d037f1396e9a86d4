"""Text that Excel and WPS would run as a formula (CSV and spreadsheet injection), for every export."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A leading apostrophe makes Excel and WPS show the text instead of evaluating it."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
