"""The demo register and queue: a few thousand members, gap-free card numbers, idempotent."""

import pytest

from membership.choices import ApplicationStatus
from membership.models import CardCounter, Member, MembershipApplication
from unionhub.demo import seed_core

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_register_and_a_queue_and_can_run_again(regions):
    from membership import demo
    from stations import demo as stations_demo

    core = seed_core()
    stations_demo.seed(core)
    demo.seed(core)
    members = Member.objects.count()
    assert members > 3000
    queue = MembershipApplication.objects.filter(status=ApplicationStatus.PENDING)
    assert queue.count() >= 10
    assert queue.filter(union__isnull=True).exists() and queue.exclude(union__isnull=True).exists()
    ages = sorted(queue.values_list("submitted_at", flat=True))
    assert (ages[-1] - ages[0]).total_seconds() > 24 * 3600  # minutes to days old
    for counter in CardCounter.objects.all():  # every county and year numbered 1..last without gaps
        prefix = f"{counter.county_id}{counter.year}"
        numbers = sorted(
            int(c[-6:])
            for c in Member.objects.filter(card_number__startswith=prefix).values_list("card_number", flat=True)
        )
        assert numbers == list(range(1, counter.last + 1))
    approved = MembershipApplication.objects.filter(status=ApplicationStatus.APPROVED)
    assert approved.count() > 100 and not approved.filter(member__isnull=True).exists()

    demo.seed(core)
    assert Member.objects.count() == members
    assert MembershipApplication.objects.filter(status=ApplicationStatus.PENDING).count() == queue.count()
