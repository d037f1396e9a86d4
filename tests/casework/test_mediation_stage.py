"""Mediation as a stage of the request, and consistent mediation records.

The request goes "in mediation" (not resolved, no rating link) when a case is opened from it - by reference,
from the request's own page - the worker follows the case on the status page, and the request closes with the
case's outcome. Every consistency rule is refused in the admin with a Chinese message beside the field, and
nothing is written."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from casework.choices import CaseStatus, PartyRole, RequestOutcome, RequestStatus
from casework.models import Agreement, AgreementAmendment, Instalment, MediationCase, Referral
from casework.services import agreements, mediation
from casework.services import requests as request_services
from tests.casework.factories import at, file_request, mediation_station
from unionhub.models import Message

D = dt.date.fromisoformat
EMPTY = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}


def inlines(*prefixes):
    return {f"{p}-{k}": v for p in prefixes for k, v in EMPTY.items()}


REQUEST_INLINES = inlines("events", "referrals", "attachments")
CASE_INLINES = inlines("parties", "claims", "mediators", "meetings")
AGREEMENT_INLINES = inlines("instalments", "amendments", "enforcement_steps")


@pytest.fixture
def station(unions):
    return mediation_station()


@pytest.fixture
def worker_request(unions):
    return file_request(employer_name="查无此公司", mobile="13812345678", now=at("2026-09-18"))


def change_url(obj):
    return reverse(f"admin:casework_{obj._meta.model_name}_change", args=[obj.pk])


def case_with_claims(station, request=None, claimed="50500.50", agreed="50500.50"):
    case = mediation.mediation_open(
        station=station, category="wages", summary="欠薪", received_on=D("2026-09-20"), request=request
    )
    worker = mediation.party_add(case=case, role=PartyRole.WORKER, name="张三")
    mediation.party_add(case=case, role=PartyRole.EMPLOYER, name="某公司")
    mediation.claim_add(
        case=case, party=worker, description="工资", amount_claimed=Decimal(claimed), amount_agreed=Decimal(agreed)
    )
    return case


def case_form(case, **overrides):
    data = {
        "station": case.station_id,
        "source": case.source,
        "category": case.category,
        "summary": case.summary,
        "received_on": f"{case.received_on}",
        "status": case.status,
        "closed_on": f"{case.closed_on}" if case.closed_on else "",
        "arbitration_referred_on": "",
        "outcome_note": "",
        **CASE_INLINES,
    }
    return {**data, **overrides}


def errors_of(response, name="adminform"):
    return response.context[name].form.errors


def test_it_opens_mediation_from_the_requests_page_and_the_request_waits_in_mediation(
    client_for, alice, station, worker_request
):
    response = client_for(alice).post(
        change_url(worker_request),
        {"action": "mediate", "mediation_station": station.pk, "message": "", **REQUEST_INLINES},
    )
    assert response.status_code == 302
    worker_request.refresh_from_db()
    case = MediationCase.objects.get(request=worker_request)
    assert worker_request.status == RequestStatus.MEDIATION and worker_request.resolved_at is None
    assert case.source == "request" and case.station == station
    templates = set(Message.objects.values_list("template", flat=True))
    assert "casework.mediation_opened" in templates and "casework.request_resolved" not in templates
    page = client_for(alice).get(change_url(worker_request)).content.decode()
    assert case.number in page and change_url(case) in page


def test_it_asks_for_the_desk_beside_the_field(client_for, alice, station, worker_request):
    response = client_for(alice).post(
        change_url(worker_request), {"action": "mediate", "message": "", **REQUEST_INLINES}
    )
    assert response.status_code == 200 and "mediation_station" in errors_of(response)
    assert not MediationCase.objects.exists()


def test_it_opens_a_case_by_the_requests_reference_not_a_number(client_for, alice, station, worker_request):
    add = reverse("admin:casework_mediationcase_add")
    data = {
        "station": station.pk,
        "source": "desk",
        "category": "wages",
        "summary": "欠薪",
        "received_on": "2026-09-20",
        "status": "open",
        "outcome_note": "",
        **CASE_INLINES,
    }
    with translation.override("zh-hans"):
        response = client_for(alice).post(add, {**data, "request_reference": "SNOSUCH234"})
    assert response.status_code == 200
    assert "查询编号" in str(errors_of(response)["request_reference"])
    assert not MediationCase.objects.exists()
    response = client_for(alice).post(add, {**data, "request_reference": worker_request.reference.lower()})
    assert response.status_code == 302
    worker_request.refresh_from_db()
    assert worker_request.status == RequestStatus.MEDIATION
    # A second case while the first is open is refused, beside the reference.
    response = client_for(alice).post(add, {**data, "request_reference": worker_request.reference})
    assert response.status_code == 200 and "request_reference" in errors_of(response)
    assert MediationCase.objects.count() == 1


def test_the_worker_follows_the_case_to_the_agreement_and_the_request_closes_with_its_outcome(
    client, station, worker_request, django_capture_on_commit_callbacks
):
    case = case_with_claims(station, request=worker_request, claimed="60000.00", agreed="50500.50")
    mediation.meeting_record(case=case, held_at=at("2026-09-22", 9), mode="in_person", place="嘉峰镇调解室")
    client.post(reverse("casework:status"), {"reference": worker_request.reference, "mobile": "13812345678"})
    detail = reverse("casework:detail", args=[worker_request.reference])
    with translation.override("zh-hans"):
        page = client.get(detail).content.decode()
    assert case.number in page and "嘉峰镇调解室" in page and "调解" in page
    assert 'id="rate-form"' not in page  # not resolved: nothing to rate yet
    with django_capture_on_commit_callbacks(execute=True):
        agreements.agreement_sign(
            case=case,
            signed_on=D("2026-09-25"),
            terms="分两期支付。",
            instalments=[(D("2026-10-10"), Decimal("25000.00")), (D("2026-11-10"), Decimal("25500.50"))],
        )
    worker_request.refresh_from_db()
    assert worker_request.status == RequestStatus.RESOLVED
    assert worker_request.outcome == RequestOutcome.PARTLY
    with translation.override("zh-hans"):
        page = client.get(detail).content.decode()
    assert "50,500.50" in page and "2026-11-10" in page and 'id="rate-form"' in page
    assert Message.objects.filter(template="casework.request_resolved").exists()


def test_a_case_not_settled_refers_the_request_to_arbitration_with_a_follow_up(station, worker_request):
    case = case_with_claims(station, request=worker_request)
    mediation.mediation_not_settled(case=case, closed_on=D("2026-10-08"), arbitration_referred_on=D("2026-10-08"))
    worker_request.refresh_from_db()
    assert worker_request.status == RequestStatus.RESOLVED and worker_request.outcome == RequestOutcome.REFERRED
    referral = Referral.objects.get(request=worker_request)
    assert referral.department == "arbitration" and referral.follow_up_on == D("2026-11-22")


def test_a_reopened_request_can_go_to_mediation_again(station, worker_request):
    case = case_with_claims(station, request=worker_request)
    mediation.mediation_withdraw(case=case, closed_on=D("2026-09-21"))
    worker_request.refresh_from_db()
    assert worker_request.outcome == RequestOutcome.WITHDRAWN
    request_services.request_reopen(request=worker_request, reason="对方又反悔了")
    second = mediation.mediation_open(
        station=station, category="wages", summary="再次调解", received_on=D("2026-09-28"), request=worker_request
    )
    worker_request.refresh_from_db()
    assert worker_request.status == RequestStatus.MEDIATION
    assert set(worker_request.mediation_cases.values_list("pk", flat=True)) == {case.pk, second.pk}


def test_it_refuses_settled_without_claims_and_agreement_beside_the_status(client_for, alice, station):
    case = mediation.mediation_open(station=station, category="wages", summary="欠薪", received_on=D("2026-09-20"))
    with translation.override("zh-hans"):
        response = client_for(alice).post(change_url(case), case_form(case, status="settled", closed_on="2026-09-25"))
    assert response.status_code == 200 and "调解协议" in str(errors_of(response)["status"])
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.closed_on is None
    add = reverse("admin:casework_mediationcase_add")
    response = client_for(alice).post(add, case_form(case, status="settled", closed_on="2026-09-25"))
    assert response.status_code == 200 and "status" in errors_of(response)
    assert MediationCase.objects.count() == 1


def test_a_settled_case_cannot_become_withdrawn(client_for, alice, station):
    case = case_with_claims(station)
    agreements.agreement_sign(case=case, signed_on=D("2026-09-25"), terms="一次性支付。")
    case.refresh_from_db()
    response = client_for(alice).post(change_url(case), case_form(case, status="withdrawn"))
    assert response.status_code == 200 and "status" in errors_of(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLED
    with pytest.raises(ValidationError):
        mediation.mediation_withdraw(case=case, closed_on=D("2026-09-26"))


def test_it_refuses_a_mediator_outside_the_team_on_the_add_form(client_for, alice, station):
    add = reverse("admin:casework_mediationcase_add")
    data = {
        "station": station.pk,
        "source": "desk",
        "category": "wages",
        "summary": "欠薪",
        "received_on": "2026-09-20",
        "status": "open",
        "outcome_note": "",
        **inlines("parties", "claims", "meetings"),
        "mediators-TOTAL_FORMS": "1",
        "mediators-INITIAL_FORMS": "0",
        "mediators-0-name": "路人甲",
    }
    with translation.override("zh-hans"):
        response = client_for(alice).post(add, data)
    assert response.status_code == 200 and not MediationCase.objects.exists()
    formset = response.context["inline_admin_formsets"][2].formset
    assert "调解队" in str(formset.forms[0].errors["name"])
    data["mediators-0-name"] = "赵调解"
    assert client_for(alice).post(add, data).status_code == 302


def test_claims_are_frozen_once_signed(client_for, alice, station):
    case = case_with_claims(station)
    agreements.agreement_sign(case=case, signed_on=D("2026-09-25"), terms="一次性支付。")
    claim = case.claims.get()
    data = case_form(
        MediationCase.objects.get(pk=case.pk),
        **{
            "claims-TOTAL_FORMS": "1",
            "claims-INITIAL_FORMS": "1",
            "claims-0-id": claim.pk,
            "claims-0-case": case.pk,
            "claims-0-party": claim.party_id,
            "claims-0-description": "工资",
            "claims-0-amount_claimed": "50500.50",
            "claims-0-amount_agreed": "60000.00",
            "claims-0-above_claim_reason": "利息",
        },
    )
    response = client_for(alice).post(change_url(case), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][1].formset
    assert "amount_agreed" in formset.forms[0].errors
    claim.refresh_from_db()
    assert claim.amount_agreed == Decimal("50500.50")
    with pytest.raises(ValidationError):
        mediation.claim_add(case=case, description="加班费", amount_claimed=Decimal("100"))


def agreement_form(case, **overrides):
    return {
        "case": case.pk,
        "signed_on": "2026-09-25",
        "terms": "分期支付。",
        "review_requested_on": "",
        "review_result": "",
        "reviewed_on": "",
        "review_document_number": "",
        "judicial_applied_on": "",
        "judicial_result": "",
        "judicial_ruling_number": "",
        **AGREEMENT_INLINES,
        **overrides,
    }


def test_instalments_must_add_up_to_the_agreed_total_to_the_fen(client_for, alice, station):
    case = case_with_claims(station)
    instalments = {
        "instalments-TOTAL_FORMS": "2",
        "instalments-INITIAL_FORMS": "0",
        "instalments-0-sequence": "1",
        "instalments-0-due_on": "2026-10-10",
        "instalments-0-amount": "20000.00",
        "instalments-0-amount_paid": "0",
        "instalments-1-sequence": "2",
        "instalments-1-due_on": "2026-11-10",
        "instalments-1-amount": "20000.00",
        "instalments-1-amount_paid": "0",
    }
    add = reverse("admin:casework_agreement_add")
    with translation.override("zh-hans"):
        response = client_for(alice).post(add, agreement_form(case, **instalments))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "50,500.50" in str(formset.forms[0].errors["amount"]) and "40,000.00" in str(formset.forms[0].errors)
    assert not Agreement.objects.exists() and not Instalment.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    instalments["instalments-1-amount"] = "30500.50"
    assert client_for(alice).post(add, agreement_form(case, **instalments)).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLED and Instalment.objects.count() == 2


def signed(station):
    case = case_with_claims(station)
    return agreements.agreement_sign(
        case=case,
        signed_on=D("2026-09-25"),
        terms="分两期支付。",
        instalments=[(D("2026-10-10"), Decimal("25000.00")), (D("2026-11-10"), Decimal("25500.50"))],
    )


def existing_instalments(agreement, changes=None):
    data = {"instalments-TOTAL_FORMS": "2", "instalments-INITIAL_FORMS": "2"}
    for index, instalment in enumerate(agreement.instalments.order_by("sequence")):
        row = {
            "id": instalment.pk,
            "agreement": agreement.pk,
            "sequence": instalment.sequence,
            "due_on": f"{instalment.due_on}",
            "amount": f"{instalment.amount}",
            "amount_paid": f"{instalment.amount_paid}",
            "paid_on": "",
        }
        row.update((changes or {}).get(index, {}))
        data.update({f"instalments-{index}-{key}": value for key, value in row.items()})
    return data


def test_terms_and_schedule_are_frozen_and_an_amendment_is_a_printable_new_version(client_for, alice, station):
    agreement = signed(station)
    url = change_url(agreement)
    base = agreement_form(agreement.case, terms="分两期支付。", **existing_instalments(agreement))
    response = client_for(alice).post(url, {**base, "terms": "改为三期。"})
    assert response.status_code == 200 and "terms" in errors_of(response)
    response = client_for(alice).post(
        url, {**base, **existing_instalments(agreement, {0: {"amount": "20000.00"}, 1: {"amount": "30500.50"}})}
    )
    assert response.status_code == 200
    assert "amount" in response.context["inline_admin_formsets"][0].formset.forms[0].errors
    agreement.refresh_from_db()
    assert agreement.terms == "分两期支付。" and agreement.instalments.get(sequence=1).amount == Decimal("25000.00")
    amendment = {
        "amendments-TOTAL_FORMS": "1",
        "amendments-INITIAL_FORMS": "0",
        "amendments-0-signed_on": "2026-10-05",
        "amendments-0-reason": "用人单位资金困难，延后第二期",
        "amendments-0-terms": "第二期延至2026年12月10日支付。",
    }
    assert client_for(alice).post(url, {**base, **amendment}).status_code == 302
    version = AgreementAmendment.objects.get()
    assert version.version == 2
    printed = client_for(alice).get(reverse("admin:casework_agreement_print", args=[agreement.pk]) + "?v=2")
    assert "用人单位资金困难" in printed.content.decode()
    original = client_for(alice).get(reverse("admin:casework_agreement_print", args=[agreement.pk])).content.decode()
    assert "分两期支付" in original and original.count("sign-worker") == 1 and 'id="seal-area"' in original


def test_a_payment_is_not_dated_before_signing(client_for, alice, station):
    agreement = signed(station)
    data = agreement_form(
        agreement.case,
        terms="分两期支付。",
        **existing_instalments(agreement, {0: {"amount_paid": "25000.00", "paid_on": "2026-09-20"}}),
    )
    response = client_for(alice).post(change_url(agreement), data)
    assert response.status_code == 200
    assert "paid_on" in response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert agreements.agreement_paid_total(agreement) == 0
    with pytest.raises(ValidationError):
        agreements.instalment_pay(
            instalment=agreement.instalments.first(), amount=Decimal("100"), paid_on=D("2026-09-24")
        )


def test_a_confirmed_review_needs_the_document_number_and_judicial_confirmation_its_window(client_for, alice, station):
    agreement = signed(station)
    base = agreement_form(agreement.case, terms="分两期支付。", **existing_instalments(agreement))
    review = {"review_requested_on": "2026-09-26", "review_result": "confirmed", "reviewed_on": "2026-09-27"}
    response = client_for(alice).post(change_url(agreement), {**base, **review})
    assert response.status_code == 200 and "review_document_number" in errors_of(response)
    response = client_for(alice).post(change_url(agreement), {**base, "judicial_applied_on": "2026-10-26"})
    assert response.status_code == 200 and "judicial_applied_on" in errors_of(response)
    agreement.refresh_from_db()
    assert agreement.review_result == "" and agreement.judicial_applied_on is None
    ok = {**base, "judicial_applied_on": "2026-10-25", "judicial_result": "pending"}
    assert client_for(alice).post(change_url(agreement), ok).status_code == 302


def test_next_steps_on_non_payment_are_offered_and_recorded_only_when_overdue(station):
    agreement = signed(station)
    with pytest.raises(ValidationError):
        agreements.enforcement_record(agreement=agreement, kind="arbitration", taken_on=D("2026-10-05"))
    step = agreements.enforcement_record(agreement=agreement, kind="pay_order", taken_on=D("2026-10-20"))
    assert step.pk


def test_it_prints_the_certificate_of_failed_mediation_and_the_workers_receipt(
    client, client_for, alice, station, worker_request
):
    case = case_with_claims(station, request=worker_request)
    mediation.mediation_not_settled(case=case, closed_on=D("2026-10-08"), arbitration_referred_on=D("2026-10-08"))
    with translation.override("zh-hans"):
        page = client_for(alice).get(reverse("admin:casework_mediationcase_certificate", args=[case.pk]))
        text = page.content.decode()
        assert "调解不成证明" in text and "张三" in text and "第十四条" in text
        client.post(reverse("casework:status"), {"reference": worker_request.reference, "mobile": "13812345678"})
        receipt = client.get(reverse("casework:receipt", args=[worker_request.reference])).content.decode()
    assert "2026年9月18日" in receipt and "2027年9月18日" in receipt and "第二十七条" in receipt


def test_the_case_page_shows_its_timeline_papers_and_work_injury_deadlines(client_for, alice, station):
    case = mediation.mediation_open(station=station, category="injury", summary="工伤", received_on=D("2026-09-20"))
    case.incident_on = D("2026-09-01")
    case.save()
    with translation.override("zh-hans"):
        page = client_for(alice).get(change_url(case)).content.decode()
    assert "2026-10-01" in page and "2027-09-01" in page
    assert reverse("admin:casework_agreement_add") in page


def test_a_referral_is_followed_up_with_what_the_department_did(client_for, alice, station, worker_request):
    case = case_with_claims(station, request=worker_request)
    mediation.mediation_not_settled(case=case, closed_on=D("2026-10-08"), arbitration_referred_on=D("2026-10-08"))
    referral = Referral.objects.get()
    url = change_url(referral)
    data = {"follow_up_on": "2026-11-22", "followed_up_on": "2026-10-01", "follow_up_note": "已立案"}
    response = client_for(alice).post(url, data)
    assert response.status_code == 200 and "followed_up_on" in errors_of(response)
    response = client_for(alice).post(url, {**data, "followed_up_on": "2026-11-20"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.followed_up_on == D("2026-11-20") and referral.follow_up_note == "已立案"


def test_the_printed_agreement_has_a_line_per_party_a_seal_area_and_chinese_punctuation(client_for, alice, station):
    agreement = signed(station)
    mediation.party_add(case=agreement.case, role=PartyRole.WORKER, name="李四")
    with translation.override("zh-hans"):
        page = client_for(alice).get(reverse("admin:casework_agreement_print", args=[agreement.pk])).content.decode()
    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", page, flags=re.S)
    text = re.sub(r"<[^>]+>", "", body)
    assert page.count('class="signature sign-worker"') == 2 and page.count('class="signature sign-employer"') == 1
    assert "调解组织印章" in text and "司法确认" in text
    assert not re.search(r"[\u4e00-\u9fff][:,;()]|[:,;()][\u4e00-\u9fff]", text), re.findall(
        r".{3}[\u4e00-\u9fff][:,;()].{3}|.{3}[:,;()][\u4e00-\u9fff].{3}", text
    )
