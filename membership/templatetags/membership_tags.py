"""Join links and QR codes for station pages, posters and union notice boards."""

from __future__ import annotations

import segno
from django import template
from django.utils.safestring import mark_safe

from membership.views.join import join_url

register = template.Library()


@register.simple_tag
def join_link(station=None, union=None, absolute=False) -> str:
    """The join page's address for a station or union: ``{% join_link station=station %}``."""
    return join_url(station=station, union=union, absolute=absolute)


@register.simple_tag
def join_qr(station=None, union=None) -> str:
    """An inline SVG QR code of the absolute join link (PUBLIC_BASE_URL), for printing. It has no size of its
    own: it fills the box it is put in."""
    svg = segno.make(join_url(station=station, union=union), error="m").svg_inline(omitsize=True, border=2)
    # segno's own SVG markup; the only outside input is the URL, encoded as QR modules.
    return mark_safe(svg)
