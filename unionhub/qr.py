"""QR codes (segno) for station posters, join links and union notice boards."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, scale: int | None = None, dark: str = "#000") -> SafeString:
    """An inline SVG QR code of ``url``: sized by ``scale``, or with no size of its own (it fills its box)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=scale, dark=dark) if scale else code.svg_inline(omitsize=True, border=2, dark=dark)
    # segno's own SVG markup; the only outside input is the URL, encoded as QR modules.
    return mark_safe(svg)
