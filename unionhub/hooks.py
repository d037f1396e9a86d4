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
_FIGURES: dict[str, dict[str, Callable[..., object]]] = {}


def register(slot: str, renderer: Callable[..., str]) -> None:
    renderers = _SLOTS.setdefault(slot, [])
    if renderer not in renderers:
        renderers.append(renderer)


def render(slot: str, request=None, **context) -> SafeString:
    parts = [renderer(request, **context) for renderer in _SLOTS.get(slot, [])]
    return format_html_join("", "{}", ((mark_safe(part),) for part in parts if part))


# --- Figures computed ahead of a page (the dashboard's refresh job) -----------------------------------------
# A slot whose page shows stored figures (the dashboard: computed by a job, never on a visitor's request) gets
# its apps' figures the same way: an app registers ``compute(user=, year=)`` under a name; the job stores
# ``figures_compute(slot, …)`` with the page's figures; the app's renderer finds its part in ``sections``.


def register_figures(slot: str, name: str, compute: Callable[..., object]) -> None:
    _FIGURES.setdefault(slot, {})[name] = compute


def figures_compute(slot: str, **context) -> dict[str, object]:
    """Every registered app's figures for ``slot`` (picklable values), by name."""
    return {name: compute(**context) for name, compute in _FIGURES.get(slot, {}).items()}
