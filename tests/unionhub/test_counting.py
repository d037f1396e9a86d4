"""count_all: the counts ``count()`` gives, for many querysets in one statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stations.models import Station
from tests.stations.factories import StationFactory
from unionhub.db.counting import count_all
from unionhub.models import Region

pytestmark = pytest.mark.django_db


def test_it_counts_each_queryset_as_count_would_in_one_statement(regions):
    StationFactory.create_batch(3)
    StationFactory(name="另一个驿站", region_id="140522100")
    querysets = [
        Station.objects.all(),
        Station.objects.filter(name="另一个驿站"),
        Station.objects.filter(name__startswith="测试").order_by("-name"),
        Station.objects.none(),
        Region.objects.filter(code__startswith="140521"),
        Station.objects.filter(facilities__code="microwave").distinct(),
    ]
    expected = [queryset.count() for queryset in querysets]
    with CaptureQueriesContext(connection) as queries:
        counts = count_all(querysets)
    assert counts == expected and expected[0] == 4 and expected[1] == 1 and expected[3] == 0
    assert len(queries) == 1


def test_a_sliced_queryset_is_counted_as_django_counts_it(regions):
    StationFactory.create_batch(3)
    assert count_all([Station.objects.order_by("pk")[:2], Station.objects.all()]) == [2, 3]
    assert count_all([]) == []
