"""What casework adds to other apps' pages (``unionhub.hooks``): "ask the union for help" (``/cases/``) on
the station finder and on each station's page (filed there, the request is routed through that station).
Registered in ``CaseworkConfig.ready``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse


def station_actions(request, *, station) -> str:
    url = f"{reverse('casework:file')}?{urlencode({'station': station.code})}"
    return render_to_string("casework/hooks/station_actions.html", {"cases_url": url})


def finder_actions(request) -> str:
    return render_to_string(
        "casework/hooks/finder_actions.html",
        {"cases_url": reverse("casework:file"), "status_url": reverse("casework:status")},
    )
