"""Public membership pages: join by QR code, application status."""

from membership.views.join import (  # noqa: F401
    EVENT_RE,
    SOURCE_CACHE_SECONDS,
    join,
    join_source,
    join_url,
    privacy,
    qr,
    source_cache_clear,
    status,
    submitted,
)
