"""The demo reproduces Renhuai's figures: ≈150,000 workers, ≈130,000 in employers with a union, ≈20,000 in none;
and a second run writes nothing."""

from outreach.demo import seed
from outreach.models import Employer, JoiningDesk
from outreach.selectors import coverage_by_town, desk_figures, funnel


def test_the_demo_reproduces_renhuai_and_is_idempotent(db):
    from membership.demo import seed as seed_members
    from stations.demo import seed as seed_stations
    from unionhub.demo import seed_core

    core = seed_core()
    seed_stations(core)
    seed_members(core)
    seed(core)
    employers = Employer.objects.filter(town__code__startswith="140521")
    _towns, total = coverage_by_town(employers)
    # The register (3,000 employers) plus 味来酒业 (86 workers, union founded from the demo).
    assert total.workers == 150_000 + 86
    assert total.covered_workers == 130_000 + 86
    assert total.uncovered_workers == 20_000
    steps = funnel(employers)
    assert steps["joined"] >= 1 and steps["willing"] > 0 and steps["visited"] > 0
    desk = JoiningDesk.objects.get(name="夏季送清凉流动入会窗口")
    assert desk_figures(desk)["applications"] == 11
    count = Employer.objects.count()
    seed(core)
    assert Employer.objects.count() == count
