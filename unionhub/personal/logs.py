"""Log lines with personal numbers masked: a filter on every handler in ``settings.LOGGING`` and on gunicorn's
access and error logs (``gunicorn.conf.py``). It masks with the admin search's own normaliser
(:func:`unionhub.personal.numbers.mask_text`), so any form a search term takes - spaces, dashes, full-width
digits, ``+86``, URL-encoded - is masked in every line."""

from __future__ import annotations

import logging

from unionhub.personal.numbers import mask_text


class MaskPersonalNumbers(logging.Filter):
    """Rewrites the record's message (arguments merged in) with the numbers masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


class MaskingFormatter(logging.Formatter):
    """For handlers whose records come from elsewhere (gunicorn's access log builds its line in the
    formatter's arguments): masks the formatted line as a last step."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_text(super().format(record))
