"""Template filters for casework's documents."""

from __future__ import annotations

from django import template

from unionhub.money import format_yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    """18600 → "18,600.00" (``unionhub.money.format_yuan``)."""
    return format_yuan(value)
