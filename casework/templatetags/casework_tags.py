"""Template filters for casework's documents."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """18600 → "18,600.00": amounts on a printed agreement are grouped by thousands, whatever the locale's
    number format (Django's zh-hans has no grouping)."""
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
