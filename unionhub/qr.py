"""QR codes (segno) for station posters, join links and union notice boards."""

from __future__ import annotations

import contextlib

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, scale: int | None = None, dark: str = "#000") -> SafeString:
    """An inline SVG QR code of ``url``: sized by ``scale``, or with no size of its own (it fills its box)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=scale, dark=dark) if scale else code.svg_inline(omitsize=True, border=2, dark=dark)
    # segno's own SVG markup; the only outside input is the URL, encoded as QR modules.
    return mark_safe(svg)


def printable_address_problem(url: str) -> str | None:
    """Why a QR code of ``url`` must not be printed, or None. A loopback or unnamed host (``127.0.0.1``,
    ``localhost``, ``::1``: ``PUBLIC_BASE_URL`` not set) would put a code on a door that opens nothing on a
    worker's phone."""
    from ipaddress import ip_address
    from urllib.parse import urlsplit

    from django.utils.translation import gettext as _

    host = (urlsplit(url).hostname or "").lower()
    loopback = host in ("", "localhost") or host.endswith(".localhost")
    with contextlib.suppress(ValueError):
        loopback = loopback or ip_address(host).is_loopback or ip_address(host).is_unspecified
    if loopback:
        return _(
            "This poster cannot be printed yet: its QR code would point at %(url)s, an address that works only on "
            "the server itself. Ask the system administrator to set PUBLIC_BASE_URL to the site's public address."
        ) % {"url": url}
    return None
