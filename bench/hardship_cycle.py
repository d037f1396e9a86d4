"""Hardship cycle: a programme cycle computed set-based vs a per-household loop (the peer).

Builds N households on file (default 100,000) in 泽州县 (140525, a county no demo touches) under one bench
union, with a fixed-amount programme; computes one cycle set-based and another, same rule, one household at a
time; checks both give the same amounts, and prints wall time, database time and query counts, with ratios.
The set-based query count is also measured at an eighth of the households, to show it does not grow.

    python -m bench hardship_cycle -- --households 5000        # a quick run (SQLite works; PostgreSQL for figures)
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from decimal import Decimal

COUNTY = "140525"
UNION_NAME = "基准测试困难帮扶工会"


class Meter:
    def __init__(self):
        self.queries, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def measure(fn):
    from django.db import connection

    meter = Meter()
    started = time.perf_counter()
    with connection.execute_wrapper(meter):
        fn()
    return time.perf_counter() - started, meter.seconds, meter.queries


def clean() -> None:
    from hardship.models import Cycle, Entitlement, Fund, FundMovement, Household, Programme

    Entitlement.objects.filter(county=COUNTY).delete()
    Cycle.objects.filter(programme__county_id=COUNTY).delete()
    Programme.objects.filter(county_id=COUNTY).delete()
    FundMovement.objects.filter(fund__county_id=COUNTY).delete()
    Fund.objects.filter(county_id=COUNTY).delete()
    Household.objects.filter(county=COUNTY).delete()


def build(n: int):
    from hardship.models import Fund, Household, Programme
    from unionhub.models import OrganizationKind, UnionOrganization
    from unionhub.services import regions_load

    regions_load()
    union, _ = UnionOrganization.objects.get_or_create(
        region_id=COUNTY, name=UNION_NAME, defaults={"kind": OrganizationKind.GRASSROOTS}
    )
    layers = ("deep", "relative", "accident")
    Household.objects.bulk_create(
        [
            Household(
                union=union,
                county=COUNTY,
                head_name=f"职工{i}",
                resident_id=f"{COUNTY}19800101{i:04d}"[:18],
                layer=layers[i % 3],
                cause="illness",
                people_count=1 + i % 5,
                status="on_file",
                filed_on=dt.date(2000, 1, 1),
            )
            for i in range(n)
        ],
        batch_size=5000,
    )
    fund = Fund.objects.create(county_id=COUNTY, name="基准测试资金", source="central")
    by_layer = {"amount_deep": Decimal("500"), "amount_relative": Decimal("300"), "amount_accident": Decimal("800")}
    return Programme.objects.create(county_id=COUNTY, name="基准测试分层慰问", rule="by_layer", fund=fund, **by_layer)


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench hardship_cycle")
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument(
        "--peer-households",
        type=int,
        default=10_000,
        help="run the per-household peer on this many households and scale its figures linearly (0: all)",
    )
    parser.add_argument("--keep", action="store_true", help="leave the generated rows in the database")
    args, _others = parser.parse_known_args(argv)

    import django

    django.setup()
    from django.core.management import call_command

    from hardship.models import Cycle, Entitlement, Household
    from hardship.services.cycles import cycle_compute

    call_command("migrate", verbosity=0)
    clean()
    started = time.perf_counter()
    programme = build(args.households)
    print(f"data: {args.households:,} households, built in {time.perf_counter() - started:.1f} s")

    def cycle(month: int) -> Cycle:
        return Cycle.objects.create(
            programme=programme,
            name=f"bench {month}",
            period_start=dt.date(2000, month, 1),
            period_end=dt.date(2000, month, 28),
        )

    try:
        small_cycle = cycle(1)
        # An eighth of the households on file (the rest set aside for this run), to show the count does not grow.
        eighth = list(Household.objects.filter(county=COUNTY).order_by("pk").values_list("pk", flat=True))
        Household.objects.filter(county=COUNTY).exclude(pk__in=eighth[: len(eighth) // 8]).update(status="left")
        _, _, small_queries = measure(lambda: cycle_compute(cycle=small_cycle))
        Household.objects.filter(county=COUNTY).update(status="on_file")
        fast_cycle, slow_cycle = cycle(2), cycle(3)
        fast_wall, fast_db, fast_queries = measure(lambda: cycle_compute(cycle=fast_cycle))
        again_wall, again_db, again_queries = measure(lambda: cycle_compute(cycle=fast_cycle))
        # The peer, one household at a time, on the first ``peer`` households (the rest set aside for it); its
        # figures are then scaled to all the households (its cost is linear: two queries per household).
        peer = args.households if not args.peer_households else min(args.peer_households, args.households)
        everyone = list(Household.objects.filter(county=COUNTY).order_by("pk").values_list("pk", flat=True))
        if peer < len(everyone):
            Household.objects.filter(county=COUNTY, pk__gt=everyone[peer - 1]).update(status="left")
        slow_wall, slow_db, slow_queries = measure(lambda: cycle_compute(cycle=slow_cycle, per_household=True))
        Household.objects.filter(county=COUNTY).update(status="on_file")
        scale = len(everyone) / max(peer, 1)

        def amounts(c, limit):
            return sorted(
                Entitlement.objects.filter(cycle=c, household_id__lte=limit).values_list("household_id", "amount")
            )

        last = everyone[peer - 1]
        assert amounts(fast_cycle, last) == amounts(slow_cycle, last), "the two computations disagree"
        n = Entitlement.objects.filter(cycle=fast_cycle).count()
        print(
            f"set-based:     {fast_wall:7.2f} s wall, {fast_db:7.2f} s in the database, {fast_queries} queries "
            f"({n:,} entitlements; {small_queries} queries at an eighth of the households)"
        )
        print(f"second run:    {again_wall:7.2f} s wall, {again_db:7.2f} s in the database, {again_queries} queries")
        print(f"per household: {slow_wall:7.2f} s wall, {slow_db:7.2f} s in the database, {slow_queries} queries")
        if scale != 1:
            slow_wall, slow_db, slow_queries = slow_wall * scale, slow_db * scale, round(slow_queries * scale)
            print(
                f"               on {peer:,} households, scaled x{scale:g} to {len(everyone):,}: {slow_wall:7.2f} s "
                f"wall, {slow_db:7.2f} s in the database, {slow_queries:,} queries"
            )
        print(
            f"peer ratio:    {slow_wall / fast_wall:.1f}x wall, {slow_db / max(fast_db, 1e-9):.1f}x database, "
            f"{slow_queries / fast_queries:.0f}x queries"
        )
        print(f"target:        <= 2 s of database work: {'met' if fast_db <= 2 else 'MISSED'} ({fast_db:.2f} s)")
    finally:
        if not args.keep:
            clean()
