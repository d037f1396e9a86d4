"""Mediation cases: court entrustment, group disputes, claims, the agreement, review and instalments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casework.choices import CaseStatus, EventKind, PartyRole, RequestStatus, ReviewResult
from casework.models import Instalment, MediationCase
from casework.selectors.clock import mediation_period_ends_on
from casework.services import agreements, mediation
from casework.services.agreements import instalments_overdue
from tests.casework.factories import file_request, mediation_station

D = dt.date.fromisoformat


@pytest.fixture
def station(unions):
    return mediation_station()


def open_case(station, **kwargs):
    defaults = {"station": station, "category": "wages", "summary": "拖欠工资", "received_on": D("2026-09-20")}
    return mediation.mediation_open(**{**defaults, **kwargs})


def test_it_numbers_cases_per_year_and_computes_the_15_day_period(station):
    first, second = open_case(station), open_case(station)
    assert (first.number, second.number) == ("TJ2026-00001", "TJ2026-00002")
    assert mediation_period_ends_on(first) == D("2026-10-08")
    assert mediation.mediation_is_overdue(first, today=D("2026-10-09"))
    assert not mediation.mediation_is_overdue(first, today=D("2026-10-08"))


def test_it_needs_the_court_case_number_for_a_court_entrusted_case(station):
    with pytest.raises(ValidationError) as error:
        open_case(station, source="court", court_name="沁水县人民法院")
    assert "court_case_number" in error.value.message_dict
    case = open_case(station, source="court", court_name="沁水县人民法院", court_case_number="(2026)晋0521民初123号")
    assert case.source == "court"


def test_it_puts_the_request_a_case_was_opened_from_in_mediation(station):
    request = file_request(employer_name="查无此公司")
    case = open_case(station, request=request)
    request.refresh_from_db()
    assert case.source == "request" and request.status == RequestStatus.MEDIATION
    assert request.resolved_at is None and not request.is_open
    assert request.events.filter(kind=EventKind.MEDIATION).exists()


def test_it_takes_mediators_from_the_stations_team_only(station):
    case = open_case(station, mediators=["赵调解", "钱律师"])
    assert set(case.mediators.values_list("name", flat=True)) == {"赵调解", "钱律师"}
    with pytest.raises(ValidationError):
        mediation.mediator_add(case=case, name="路人甲")


def test_it_holds_a_group_dispute_with_the_employers_credit_code(station, unions):
    case = open_case(station)
    for n in range(43):
        mediation.party_add(case=case, role=PartyRole.WORKER, name=f"工人{n}")
    employer = mediation.party_add(
        case=case, role=PartyRole.EMPLOYER, name="某公司", credit_code=unions["grassroots"].credit_code
    )
    assert case.is_group_dispute and case.worker_count == 43
    assert employer.union == unions["grassroots"]
    with pytest.raises(ValidationError):
        mediation.party_add(case=case, role=PartyRole.EMPLOYER, name="坏代码公司", credit_code="91140521MA0XXXXXXX")


def test_it_wants_a_reason_when_more_is_agreed_than_claimed(station):
    case = open_case(station)
    with pytest.raises(ValidationError) as error:
        mediation.claim_add(
            case=case, description="工资", amount_claimed=Decimal("1000.00"), amount_agreed=Decimal("1200.00")
        )
    assert "above_claim_reason" in error.value.message_dict
    assert not case.claims.exists()
    claim = mediation.claim_add(
        case=case,
        description="工资",
        amount_claimed=Decimal("1000.00"),
        amount_agreed=Decimal("1200.00"),
        above_claim_reason="含逾期利息",
    )
    assert claim.amount_agreed == Decimal("1200.00")


def test_it_refuses_a_case_closed_without_an_outcome(station):
    case = open_case(station)
    case.closed_on = D("2026-09-30")
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert "status" in error.value.message_dict


def test_it_refers_an_unsettled_case_to_arbitration_with_the_date(station):
    case = open_case(station)
    with pytest.raises(ValidationError):
        mediation.mediation_not_settled(case=case, closed_on=D("2026-10-09"), arbitration_referred_on=None)
    case = mediation.mediation_not_settled(
        case=case, closed_on=D("2026-10-09"), arbitration_referred_on=D("2026-10-09")
    )
    assert case.status == CaseStatus.NOT_SETTLED


def settled_case(station):
    case = open_case(station)
    worker = mediation.party_add(case=case, role=PartyRole.WORKER, name="张三")
    mediation.claim_add(
        case=case,
        party=worker,
        description="工资",
        amount_claimed=Decimal("30000.00"),
        amount_agreed=Decimal("24000.00"),
    )
    mediation.claim_add(
        case=case, party=worker, description="经济补偿", amount_claimed=Decimal("6000.00"), amount_agreed=Decimal("0")
    )
    agreement = agreements.agreement_sign(
        case=case,
        signed_on=D("2026-10-01"),
        terms="分三期支付。",
        instalments=[
            (D("2026-10-10"), Decimal("8000.00")),
            (D("2026-11-10"), Decimal("8000.00")),
            (D("2026-12-10"), Decimal("8000.00")),
        ],
    )
    return case, agreement


def test_it_settles_with_instalments_that_add_up_to_the_agreed_total(station):
    case, agreement = settled_case(station)
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLED and case.closed_on == D("2026-10-01")
    assert [i.sequence for i in agreement.instalments.all()] == [1, 2, 3]


def test_it_refuses_instalments_that_do_not_add_up(station):
    case = open_case(station)
    mediation.claim_add(
        case=case, description="工资", amount_claimed=Decimal("100.00"), amount_agreed=Decimal("100.00")
    )
    with pytest.raises(ValidationError):
        agreements.agreement_sign(
            case=case, signed_on=D("2026-10-01"), terms="x", instalments=[(D("2026-10-02"), Decimal("99.99"))]
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and not hasattr(case, "agreement")


def test_it_tracks_instalments_until_paid_and_flags_overdue_ones(station):
    case, agreement = settled_case(station)
    first, second, third = agreement.instalments.all()
    agreements.instalment_pay(instalment=first, amount=Decimal("8000.00"), paid_on=D("2026-10-09"))
    agreements.instalment_pay(instalment=second, amount=Decimal("3000.00"), paid_on=D("2026-11-10"))
    with pytest.raises(ValidationError):
        agreements.instalment_pay(instalment=second, amount=Decimal("5000.01"), paid_on=D("2026-11-11"))
    overdue = instalments_overdue(Instalment.objects.all(), D("2026-11-20"))
    assert list(overdue) == [second]
    assert agreements.agreement_paid_total(agreement) == Decimal("11000.00")


def test_it_records_the_arbitration_review(station):
    _case, agreement = settled_case(station)
    agreements.agreement_request_review(agreement=agreement, on=D("2026-10-01"))
    with pytest.raises(ValidationError):
        agreements.agreement_record_review(agreement=agreement, result=ReviewResult.CONFIRMED, on=D("2026-10-01"))
    agreement = agreements.agreement_record_review(
        agreement=agreement,
        result=ReviewResult.CONFIRMED,
        on=D("2026-10-01"),
        document_number="沁劳人仲调字〔2026〕1号",
    )
    assert agreement.review_result == ReviewResult.CONFIRMED


def test_it_counts_the_mediation_case_only_once_in_history(station):
    case = open_case(station)
    assert MediationCase.history.filter(id=case.pk).count() == 1
