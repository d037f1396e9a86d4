"""The admin menu (the app list of the index page and of the navigation sidebar) rendered in Python.

Django renders ``admin/app_list.html`` through the template engine on every admin page, for the sidebar: some
forty models, a dozen nodes each - about 20 ms a page on the 2-core machine, more than the database part of a
changelist at a million members (measured in ``bench/admin_scale.py``'s run, README Benchmarks). The markup
here is Django's template's, element for element, built with ``format_html``.
"""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from unionhub.adminsite import group_label

register = template.Library()


def _model_row(app: dict, model: dict, path: str, show_changelinks: bool) -> str:
    model_name = model["object_name"].lower()
    label = f"{app['app_label']}-{model_name}"
    admin_url = model.get("admin_url")
    current = bool(admin_url) and admin_url in path
    if admin_url:
        name = format_html('<a href="{}"{}>{}</a>', admin_url, mark_safe(' aria-current="page"') if current else "",
                           model["name"])  # fmt: skip
    else:
        name = format_html("{}", model["name"])
    add = (
        format_html(
            '<td><a href="{}" class="addlink" aria-describedby="{}">{}</a></td>',
            model["add_url"],
            label,
            gettext("Add"),
        )  # fmt: skip
        if model.get("add_url")
        else mark_safe("<td></td>")
    )
    change = ""
    if admin_url and show_changelinks:
        kind, text = ("viewlink", gettext("View")) if model.get("view_only") else ("changelink", gettext("Change"))
        change = format_html('<td><a href="{}" class="{}" aria-describedby="{}">{}</a></td>', admin_url, kind, label,
                             text)  # fmt: skip
    elif show_changelinks:
        change = mark_safe("<td></td>")
    return format_html('<tr class="model-{}{}"><th scope="row" id="{}">{}</th>{}{}</tr>', model_name,
                       " current-model" if current else "", label, name, add, change)  # fmt: skip


@register.simple_tag(takes_context=True)
def app_list_table(context, app_list, show_changelinks=False):
    """Django's ``admin/app_list.html`` for ``app_list``: one block per app, one row per model."""
    if not app_list:
        return format_html("<p>{}</p>", gettext("You don’t have permission to view or edit anything."))
    request = context.get("request")
    path = quote(request.path, safe="/") if request is not None else ""
    head = format_html(
        '<thead class="visually-hidden"><tr><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead>',
        gettext("Model name"),
        gettext("Add link"),
        gettext("Change or view list link"),
    )
    blocks = []
    for app in app_list:
        rows = format_html_join("", "{}", ((_model_row(app, m, path, show_changelinks),) for m in app["models"]))
        title = gettext("Models in the %(name)s application") % {"name": app["name"]}
        blocks.append(
            format_html(
                '<div class="app-{} module{}"><table><caption><a href="{}" class="section" title="{}">{}</a>'
                "</caption>{}{}</table></div>",
                app["app_label"],
                " current-app" if app["app_url"] in path else "",
                app["app_url"],
                title,
                app["name"],
                head,
                rows,
            )
        )
    return mark_safe("".join(blocks))


@register.filter
def menu_group(opts) -> str:
    """``{{ opts|menu_group }}``: the sidebar group's name for the breadcrumbs."""
    return group_label(opts)
