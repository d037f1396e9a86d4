"""Demo mediation cases for 2025 reproducing Xiamen's table (4976 / 4672 / 1595 / 43.41 million yuan)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from casework.choices import CaseSource, CaseStatus, MeetingMode, PartyRole, RequestCategory, ReviewResult
from casework.models import Agreement, CaseMediator, ClaimItem, Instalment, MediationCase, Meeting, Party
from stations.models import Station
from unionhub.demo import QINSHUI

YEAR = 2025
RECEIVED, CLOSED, SETTLED, AGREED = 4976, 4672, 1595, Decimal("43410000.00")
NOT_SETTLED = 2600  # the rest of the closed cases were withdrawn
GROUP = Decimal("3620000.00")  # 43 workers, settled in 11 days, paid in instalments
INJURY = Decimal("1300000.00")  # Jiafeng's work-injury settlement
CENT = Decimal("0.01")


def _amounts(rng: random.Random, count: int, total: Decimal) -> list[Decimal]:
    """``count`` believable amounts (most a few thousand yuan, some far more) adding up to ``total`` exactly."""
    weights = [rng.lognormvariate(0, 1.1) for _ in range(count)]
    scale = total / Decimal(str(sum(weights)))
    amounts = [(Decimal(str(w)) * scale).quantize(Decimal("1"), ROUND_HALF_UP) for w in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


def seed_cases(core) -> None:
    if MediationCase.objects.filter(number__startswith=f"TJ{YEAR}-").exists():
        return
    rng = random.Random(RECEIVED)
    stations = list(Station.objects.filter(region__code__startswith=QINSHUI, kind="labour").order_by("code"))
    if not stations:
        return
    jiafeng = next((s for s in stations if s.region_id == "140521104"), stations[0])
    ordinary = _amounts(rng, SETTLED - 2, AGREED - GROUP - INJURY)
    cases, plans = [], []
    for n in range(RECEIVED):
        station = rng.choice(stations)
        if n < CLOSED:
            received = dt.date(YEAR, 1, 2) + dt.timedelta(days=rng.randrange(340))
            closed = min(received + dt.timedelta(days=rng.randrange(1, 16)), dt.date(YEAR, 12, 31))
        else:
            received, closed = dt.date(YEAR, 12, 16) + dt.timedelta(days=rng.randrange(16)), None
        status = (
            CaseStatus.SETTLED
            if n < SETTLED
            else CaseStatus.NOT_SETTLED
            if n < SETTLED + NOT_SETTLED
            else CaseStatus.WITHDRAWN
            if n < CLOSED
            else CaseStatus.OPEN
        )
        category = rng.choice([RequestCategory.WAGES] * 3 + [RequestCategory.DISMISSAL, RequestCategory.WORK_INJURY])
        agreed = ordinary[n - 2] if 2 <= n < SETTLED else None
        workers = 1
        if n == 0:  # the group dispute
            station, received, closed, agreed, workers = jiafeng, dt.date(YEAR, 6, 3), dt.date(YEAR, 6, 14), GROUP, 43
            category = RequestCategory.WAGES
        elif n == 1:  # the work-injury settlement
            station, received, closed, agreed = jiafeng, dt.date(YEAR, 3, 10), dt.date(YEAR, 3, 25), INJURY
            category = RequestCategory.WORK_INJURY
        court = n % 97 == 5
        cases.append(
            MediationCase(
                number=f"TJ{YEAR}-{n + 1:05d}",
                station=station,
                source=CaseSource.COURT if court else CaseSource.DESK,
                court_name="沁水县人民法院" if court else "",
                court_case_number=f"（{YEAR}）晋0521民初{n}号" if court else "",
                category=category,
                summary="43名职工被拖欠工资"
                if n == 0
                else "劳务派遣工因病去世，家属与企业就赔偿未达成一致"
                if n == 1
                else "劳动报酬争议",
                received_on=received,
                status=status,
                closed_on=closed,
                arbitration_referred_on=closed if status == CaseStatus.NOT_SETTLED else None,
            )
        )
        plans.append((agreed, workers))
    MediationCase.objects.bulk_create(cases, batch_size=500)

    parties, mediators = [], []
    for case, (_agreed, workers) in zip(cases, plans, strict=True):
        for w in range(workers):
            parties.append(Party(case=case, role=PartyRole.WORKER, name=f"职工{case.pk % 1000:03d}{w:02d}"))
        parties.append(Party(case=case, role=PartyRole.EMPLOYER, name="沁水县某用人单位"))
        mediators.append(CaseMediator(case=case, name="王建华"))
    Party.objects.bulk_create(parties, batch_size=1000)
    CaseMediator.objects.bulk_create(mediators, batch_size=1000)
    first_worker = {}
    for party in parties:
        if party.role == PartyRole.WORKER:
            first_worker.setdefault(party.case_id, party)

    claims, agreements, schedules = [], [], []
    for case, (agreed, _workers) in zip(cases, plans, strict=True):
        claimed = (
            (agreed * Decimal(str(1 + rng.random() * 0.3))).quantize(CENT)
            if agreed
            else Decimal(rng.randrange(2000, 60000))
        )
        claims.append(
            ClaimItem(
                case=case,
                party=first_worker[case.pk],
                description="拖欠工资及经济补偿",
                amount_claimed=claimed,
                amount_agreed=agreed,
            )
        )
        if case.status == CaseStatus.SETTLED:
            agreement = Agreement(
                case=case,
                signed_on=case.closed_on,
                terms="被申请人按下列期限向申请人支付款项。",
                review_requested_on=case.closed_on if case.pk % 3 == 0 else None,
                review_result=ReviewResult.CONFIRMED if case.pk % 3 == 0 else "",
                reviewed_on=case.closed_on if case.pk % 3 == 0 else None,
                review_document_number=f"沁劳人仲调字〔{YEAR}〕{case.pk}号" if case.pk % 3 == 0 else "",
            )
            agreements.append(agreement)
            schedules.append((agreement, agreed, case.number == f"TJ{YEAR}-00001" or rng.random() < 0.08))
    ClaimItem.objects.bulk_create(claims, batch_size=1000)
    Agreement.objects.bulk_create(agreements, batch_size=500)

    instalments = []
    for agreement, agreed, in_parts in schedules:
        if not in_parts:
            instalments.append(
                Instalment(
                    agreement=agreement,
                    sequence=1,
                    due_on=agreement.signed_on,
                    amount=agreed,
                    amount_paid=agreed,
                    paid_on=agreement.signed_on,
                )
            )
            continue
        part = (agreed / 3).quantize(CENT)
        for sequence, amount in enumerate([part, part, agreed - 2 * part], start=1):
            due = agreement.signed_on + dt.timedelta(days=30 * sequence)
            paid = amount if sequence < 3 or rng.random() < 0.5 else Decimal("0")
            instalments.append(
                Instalment(
                    agreement=agreement,
                    sequence=sequence,
                    due_on=due,
                    amount=amount,
                    amount_paid=paid,
                    paid_on=due if paid else None,
                )
            )
    Instalment.objects.bulk_create(instalments, batch_size=1000)
    Meeting.objects.create(
        case=cases[0],
        held_at=dt.datetime(YEAR, 6, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        mode=MeetingMode.IN_PERSON,
        place="嘉峰镇劳动关系公共服务站调解室",
        notes="43名职工代表与企业面对面协商，约定分三期支付。",
    )
