"""The demo county's employer register: bulk-created once, deterministic.

3,000 employers: 120 with a union sharing 130,000 workers (the ten demo unions among them, matched by credit
code), 2,880 small private firms and platform companies without one sharing 20,000 workers - Renhuai's
150,000 industrial workers, 130,000 covered, 20,000 in none."""

from __future__ import annotations

import random

from django.utils import timezone

from outreach.choices import Industry, Stage
from outreach.models import Employer
from unionhub.demo.core import QINSHUI, demo_credit_code
from unionhub.models.regions import OrganizationKind, UnionOrganization

TOWNS = [f"{QINSHUI}{n}" for n in ("100", "101", "102", "103", "104", "105", "106", "107")]
WITH_UNION, WITHOUT_UNION = 120, 2880
COVERED_WORKERS, UNCOVERED_WORKERS = 130_000, 20_000
FIRST_SERIAL = 280_000  # far from the serials other demos give their unions (the ten demo unions: 1-10)
PREFIXES = ["鑫", "宏", "盛", "恒", "润", "泰", "隆", "晟", "嘉", "华", "兴", "源", "达", "瑞", "丰", "祥"]
SUFFIXES = {
    Industry.LIQUOR: "酒业有限公司",
    Industry.MINING: "煤业有限公司",
    Industry.MANUFACTURING: "制造有限公司",
    Industry.CONSTRUCTION: "建筑工程有限公司",
    Industry.LOGISTICS: "物流有限公司",
    Industry.RETAIL: "商贸有限公司",
    Industry.SERVICES: "服务有限公司",
    Industry.AGRICULTURE: "农业开发有限公司",
}


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``parts`` positive sizes summing to ``total`` exactly."""
    weights = [rng.paretovariate(1.6) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    sizes[0] += total - sum(sizes)
    return sizes


def seed_employers(core) -> None:
    if Employer.objects.filter(town__code__startswith=QINSHUI).exists():
        return
    rng = random.Random(28)
    now = timezone.now()
    unions = list(
        UnionOrganization.objects.filter(
            region__code__startswith=QINSHUI, kind=OrganizationKind.GRASSROOTS, credit_code__isnull=False
        ).order_by("pk")
    )
    employers: list[Employer] = []
    covered = _split(COVERED_WORKERS, WITH_UNION, rng)
    for index, size in enumerate(covered):
        if index < len(unions):
            union = unions[index]
            employers.append(
                Employer(
                    credit_code=union.credit_code,
                    name=union.employer or union.name,
                    town_id=union.region_id,
                    industry=Industry.MANUFACTURING,
                    workers=size,
                    union=union,
                    stage=Stage.FOUNDED,
                    stage_changed_at=now,
                )
            )
            continue
        employers.append(_employer(rng, FIRST_SERIAL + index, size, now, founded=True))
    for index, size in enumerate(_split(UNCOVERED_WORKERS, WITHOUT_UNION, rng)):
        employers.append(_employer(rng, FIRST_SERIAL + WITH_UNION + index, size, now, founded=False))
    Employer.objects.bulk_create(employers, batch_size=1000)
    # Unions for the large employers outside the demo's ten (one bulk insert).
    founded = [e for e in employers if e.stage == Stage.FOUNDED and e.union_id is None]
    county = core.county_federation
    UnionOrganization.objects.bulk_create(
        [
            UnionOrganization(
                name=f"{e.name}工会",
                kind=OrganizationKind.GRASSROOTS,
                region_id=e.town_id,
                parent=county,
                employer=e.name,
                credit_code=e.credit_code,
            )
            for e in founded
        ],
        batch_size=500,
    )
    ids = dict(
        UnionOrganization.objects.filter(credit_code__in=[e.credit_code for e in founded]).values_list(
            "credit_code", "id"
        )
    )
    for e in founded:
        e.union_id = ids[e.credit_code]
    Employer.objects.bulk_update(founded, ["union"], batch_size=1000)


def _employer(rng: random.Random, serial: int, size: int, now, *, founded: bool) -> Employer:
    industry = rng.choice(list(SUFFIXES)) if founded else rng.choice([*SUFFIXES, Industry.LIQUOR, Industry.LIQUOR])
    town = rng.choice(TOWNS)
    platform = not founded and industry in (Industry.LOGISTICS, Industry.SERVICES) and rng.random() < 0.3
    name = f"沁水县{rng.choice(PREFIXES)}{rng.choice(PREFIXES)}{serial}{SUFFIXES[industry]}"
    return Employer(
        credit_code=demo_credit_code(serial),
        name=name,
        town_id=town,
        industry=industry,
        workers=size,
        is_platform=platform,
        stage=Stage.FOUNDED if founded else Stage.NOT_CONTACTED,
        stage_changed_at=now,
    )
