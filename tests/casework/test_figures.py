"""Figures that add up: money paid is counted in the period it was paid, and requests the union passed on
(referred out, taken into mediation) are counted by their own outcome, not as resolved within the limit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from casework.models import MediationCase, WorkerRequest
from casework.selectors.figures import casework_figures
from casework.services import agreements, mediation
from casework.services.handling import request_refer, request_resolve
from tests.casework.factories import at, file_request, mediation_station

D = dt.date.fromisoformat


def figures(start: str, end: str):
    return casework_figures(
        requests=WorkerRequest.objects.all(),
        cases=MediationCase.objects.all(),
        start=D(start),
        end=D(end),
        station_names={},
    )[1]


@pytest.fixture
def station(unions):
    return mediation_station()


def test_paid_is_counted_in_the_period_it_was_paid(station):
    case = mediation.mediation_open(station=station, category="wages", summary="拖欠工资", received_on=D("2025-11-03"))
    mediation.claim_add(
        case=case, description="工资", amount_claimed=Decimal("900.00"), amount_agreed=Decimal("900.00")
    )
    agreement = agreements.agreement_sign(
        case=case,
        signed_on=D("2025-11-10"),
        terms="分三期支付。",
        instalments=[
            (D("2025-12-01"), Decimal("300.00")),
            (D("2026-01-10"), Decimal("300.00")),
            (D("2026-02-10"), Decimal("300.00")),
        ],
    )
    first, second, _third = agreement.instalments.all()
    agreements.instalment_pay(instalment=first, amount=Decimal("300.00"), paid_on=D("2025-12-01"))
    agreements.instalment_pay(instalment=second, amount=Decimal("300.00"), paid_on=D("2026-01-12"))

    in_2025, in_2026 = figures("2025-01-01", "2025-12-31"), figures("2026-01-01", "2026-12-31")

    assert (in_2025.cases_settled, in_2025.agreed, in_2025.paid) == (1, Decimal("900.00"), Decimal("300.00"))
    # Settled in 2025, paid in part in 2026: 2026 shows the 2026 payment, not the 2025 agreement.
    assert (in_2026.cases_settled, in_2026.agreed, in_2026.paid) == (0, Decimal("0.00"), Decimal("300.00"))


def test_referrals_and_mediation_hand_offs_count_by_their_own_outcome(station):
    staff = get_user_model().objects.create_user("desk")
    resolved = file_request(now=at("2026-09-01"))
    request_resolve(request=resolved, by=staff, resolution="已补发工资。", now=at("2026-09-02"))
    referred = file_request(now=at("2026-09-01"))
    request_refer(request=referred, by=staff, department="inspection", now=at("2026-09-02"))
    mediated = file_request(now=at("2026-09-01"))
    mediation.mediation_open(
        station=station, category="wages", summary="拖欠工资", received_on=D("2026-09-02"), request=mediated
    )
    WorkerRequest.objects.filter(pk=mediated.pk).update(resolved_at=at("2026-09-02"))  # opened today: back-date

    total = figures("2026-09-01", "2026-09-30")

    assert (total.received, total.closed, total.within_limit) == (3, 1, 1)
    assert (total.referred, total.to_mediation, total.cases_received) == (1, 1, 1)
    assert total.within_limit_share == 1.0
