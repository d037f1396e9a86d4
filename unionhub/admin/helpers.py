"""Small admin helpers every app's admin uses: status badges and the job progress response."""

from __future__ import annotations

from functools import cache

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import JsonResponse
from django.utils import timezone
from django.utils.html import format_html

from unionhub.money import format_yuan
from unionhub.people import person_label

BADGE_OK, BADGE_WARN, BADGE_BAD, BADGE_MUTED = "uh-ok", "uh-warn", "uh-bad", "uh-muted"


def badge(text, css: str = "", *, title: str = "") -> str:
    """A coloured label in a list or on a page (``uh-ok``, ``uh-warn``, ``uh-bad``, ``uh-muted``)."""
    if title:
        return format_html('<span class="uh-badge {}" title="{}">{}</span>', css, title, text)
    return format_html('<span class="uh-badge {}">{}</span>', css, text)


def job_progress_payload(job, **extra) -> dict:
    """What the progress partial's script reads: the job's state and figures (``None`` job: nothing yet)."""
    if job is None:
        return {"job": None, "active": False, "at": timezone.now().isoformat(), **extra}
    done, total, stage = job.progress_now()
    return {
        "job": job.pk,
        "kind": job.kind_label,
        "status": job.status,
        "status_display": job.get_status_display(),
        "active": job.is_active,
        "done": done,
        "total": total,
        "percent": job.percent,
        "stage": stage,
        "error": job.error,
        "at": timezone.now().isoformat(),
        **extra,
    }


def job_progress_response(job, **extra) -> JsonResponse:
    return JsonResponse(job_progress_payload(job, **extra))


def person_of(field: str):
    """A read-only column or field showing the user in ``field`` as a person (name and unit,
    ``unionhub.people``), as text: never a link to the user admin, which staff cannot open."""

    def display(self, obj) -> str:
        return person_label(getattr(obj, field, None))

    return display


@cache
def money_column(model, name):
    """``name`` as a changelist column: an amount (a DecimalField to the fen) reads "18,824.66" and sorts by
    the field; anything else is returned unchanged. Django would print it ungrouped ("18824.66")."""
    if not isinstance(name, str):
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if not isinstance(field, models.DecimalField) or field.decimal_places != 2:
        return name

    def column(obj):
        return format_yuan(getattr(obj, name))

    column.__name__ = name  # the column's CSS class stays field-<name>
    return admin.display(description=field.verbose_name, ordering=name)(column)
