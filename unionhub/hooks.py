"""Page hooks: how one app adds to another app's page without the page knowing it.

A page declares a slot (``{% page_hook "station_actions" station=station %}`` in its template); an app that
wants to add to it registers a renderer in its ``AppConfig.ready``::

    hooks.register("station_actions", render_join_button)

A renderer takes the request and the slot's keyword arguments and returns HTML (usually
``render_to_string`` of its own template). Slots render their renderers in registration order; a slot with
none renders nothing. This keeps the layering: stations' templates know only the slot, membership fills it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

_SLOTS: dict[str, list[Callable[..., str]]] = {}


def register(slot: str, renderer: Callable[..., str]) -> None:
    renderers = _SLOTS.setdefault(slot, [])
    if renderer not in renderers:
        renderers.append(renderer)


def render(slot: str, request=None, **context) -> SafeString:
    parts = [renderer(request, **context) for renderer in _SLOTS.get(slot, [])]
    return format_html_join("", "{}", ((mark_safe(part),) for part in parts if part))
