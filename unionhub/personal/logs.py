"""Log lines with personal numbers masked: a filter on every handler in ``settings.LOGGING`` and on gunicorn's
access and error logs (``gunicorn.conf.py``). It masks with the admin search's own normaliser
(:func:`unionhub.personal.numbers.mask_text`), so any form a search term takes - spaces, dashes, full-width
digits, ``+86``, URL-encoded - is masked in every line.

A search term is not always a whole number: a caller's "尾号1813", an ID's first digits or a name is personal too.
The admin's search travels by POST and a session token, never in a URL; what an old bookmark or a hand-typed
address still puts in a query string (``?q=``, ``&search=``) is blanked whole in every line."""

from __future__ import annotations

import logging
import re

from unionhub.personal.numbers import mask_text

_SEARCH_PARAM = re.compile(r"([?&](?:q|search)=)[^&#\s\"']+")


def mask_log_text(text: str) -> str:
    """A log line with search terms in query strings blanked and every ID and mobile number masked."""
    if text and "=" in text:
        text = _SEARCH_PARAM.sub(r"\1***", text)
    return mask_text(text)


class MaskPersonalNumbers(logging.Filter):
    """Rewrites the record's message (arguments merged in) with the numbers masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        masked = mask_log_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_log_text(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_log_text(record.exc_text)
        return True


class MaskingFormatter(logging.Formatter):
    """For handlers whose records come from elsewhere (gunicorn's access log builds its line in the
    formatter's arguments): masks the formatted line as a last step."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_log_text(super().format(record))
