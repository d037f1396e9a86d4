from django import template
from django.contrib import admin

from unionhub import hooks
from unionhub.money import format_yuan

register = template.Library()


@register.filter
def label_text(label) -> str:
    """A field's label without its closing punctuation, to be followed by "：" (an error summary's line)."""
    return str(label or "").rstrip("。.：:？?")


@register.filter
def minutes(delta) -> int:
    """A timedelta as whole minutes, rounded up (a lock-out of 29.5 minutes reads as 30)."""
    if not delta:
        return 0
    return -(-int(delta.total_seconds()) // 60)


@register.simple_tag(takes_context=True)
def page_hook(context, slot: str, **kwargs):
    """What other apps add to this page's ``slot`` (``unionhub.hooks``)."""
    return hooks.render(slot, context.get("request"), **kwargs)


@register.filter
def yuan(value) -> str:
    """An amount as staff read it: "18,824.66" (``unionhub.money.format_yuan``)."""
    return format_yuan(value)


@register.simple_tag
def permitted_pages(request) -> list[dict]:
    """The lists a signed-in user may open (the admin's menu for them), for the "you may not open this page"
    page: where to go instead of a dead end."""
    pages = []
    for app in admin.site.get_app_list(request):
        for model in app["models"]:
            if model.get("admin_url") and model["perms"].get("view", model["perms"].get("change")):
                pages.append({"label": model["name"], "url": model["admin_url"]})
    return pages[:12]
