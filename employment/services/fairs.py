"""Job fairs: the rule for the fair's outreach event (sign-ups and check-ins are taken there)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from employment.models import JobFair


def fair_validate(*, fair: JobFair) -> None:
    """The fair's event, if any, is in the fair's county (another county's event is never linked or named)."""
    event = fair.event
    if event is not None and fair.region_id and not event.region_id.startswith(fair.region_id[:6]):
        raise ValidationError({"event": _("Choose an event of the fair's county.")})
