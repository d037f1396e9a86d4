"""What hardship adds to other apps' pages (``unionhub.hooks``): the application link on a station's public
page, and the worker's file link on a member's page in membership's admin (membership knows only the slot).
Registered in ``HardshipConfig.ready``."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

FILE_PERMISSION = "hardship.view_household"


def station_actions(request, *, station) -> str:
    return render_to_string("hardship/hooks/station_actions.html", {"station": station})


def member_actions(request, *, member) -> str:
    """The worker's file (一人一档) of the member, for staff who may see households."""
    if member is None or not member.pk or request is None or not request.user.has_perm(FILE_PERMISSION):
        return ""
    url = reverse("admin:hardship_household_member_file", args=[member.pk])
    return format_html('<li><a href="{}" id="worker-file-link">{}</a></li>', url, _("Worker's file"))
