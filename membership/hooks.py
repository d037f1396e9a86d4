"""What membership adds to other apps' pages (``unionhub.hooks``): the join button and QR code on a
station's page and poster. Registered in ``MembershipConfig.ready``."""

from __future__ import annotations

from django.template.loader import render_to_string

from membership.views.join import join_url
from unionhub.qr import printable_address_problem, qr_svg


def station_actions(request, *, station) -> str:
    return render_to_string(
        "membership/hooks/station_actions.html", {"join_url": join_url(station=station, absolute=False)}
    )


def station_poster_actions(request, *, station) -> str:
    url = join_url(station=station, absolute=True)
    if printable_address_problem(url):
        return ""  # the poster itself says why it cannot be printed
    return render_to_string("membership/hooks/poster_actions.html", {"qr": qr_svg(url)})
