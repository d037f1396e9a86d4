from django import template

register = template.Library()


@register.filter
def minutes(delta) -> int:
    """A timedelta as whole minutes, rounded up (a lock-out of 29.5 minutes reads as 30)."""
    if not delta:
        return 0
    return -(-int(delta.total_seconds()) // 60)
