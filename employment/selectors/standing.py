"""Whether an employer is in good standing for the 监督核查: no open request about wages owed to it at the union
(casework's register of workers' requests, matched by the unified social credit code)."""

from __future__ import annotations

from casework.choices import OPEN_STATUSES, RequestCategory, RequestStatus
from casework.models import WorkerRequest

PENDING = (*OPEN_STATUSES, RequestStatus.MEDIATION)


def open_wage_requests(credit_code: str) -> int:
    """Open workers' requests about wages owed by the employer with ``credit_code`` (any county)."""
    if not credit_code:
        return 0
    return WorkerRequest.objects.filter(
        employer_credit_code=credit_code, category=RequestCategory.WAGES, status__in=PENDING
    ).count()
