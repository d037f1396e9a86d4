"""A logging filter that masks personal numbers in every log line: 18-character resident ID numbers and
11-digit mainland mobile numbers, wherever they appear (a URL's query string, an error message, a task's
arguments). Attached to every handler in ``settings.LOGGING`` and to gunicorn's access and error logs by
``gunicorn.conf.py``."""

from __future__ import annotations

import logging
import re

# Not preceded or followed by another digit, so that longer numbers (card numbers, timestamps) stay whole.
RESIDENT_ID = re.compile(r"(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


def mask_numbers(text: str) -> str:
    return MOBILE.sub(r"\1****\2", RESIDENT_ID.sub(r"\1********\2", text))


class MaskPersonalNumbers(logging.Filter):
    """Rewrites the record's message (arguments merged in) with the numbers masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        masked = mask_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_numbers(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_numbers(record.exc_text)
        return True


class MaskingFormatter(logging.Formatter):
    """For handlers whose records come from elsewhere (gunicorn's access log builds its line in the
    formatter's arguments): masks the formatted line as a last step."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_numbers(super().format(record))
