"""Outreach's employer register as employment reads it: the employer a vacancy names, found by its credit code
in the station's county (employment sits above outreach in the layers; outreach never imports employment)."""

from __future__ import annotations

from outreach.models import Employer


def registered_employer(credit_code: str, county: str) -> Employer | None:
    """The register's employer with this (normalised) credit code, if it is in ``county`` (6 digits)."""
    if not credit_code or not county:
        return None
    return Employer.objects.filter(credit_code=credit_code, town__code__startswith=county).first()
