"""The local minimum wage in force for a town: the most specific region (county, then city, then province)
with a rate in force on the day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models.functions import Length

from employment.models import MinimumWage


def minimum_wage_for(region_code: str, on: dt.date) -> Decimal | None:
    prefixes = [region_code[:n] for n in (2, 4, 6, 9) if len(region_code) >= n]
    row = (
        MinimumWage.objects.filter(region_id__in=prefixes, valid_from__lte=on)
        .order_by(Length("region_id").desc(), "-valid_from")
        .values_list("monthly", flat=True)
        .first()
    )
    return row
