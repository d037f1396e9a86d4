"""Factories for stations and their logs."""

import datetime as dt
from decimal import Decimal

import factory

from stations.choices import StationKind, StationStatus
from stations.data.catalogue import seed_catalogues
from stations.models import (
    Activity,
    ActivityKind,
    Facility,
    OpeningHours,
    Rectification,
    Service,
    Station,
    VisitorCount,
)
from tests.factories import JIAFENG


def ensure_catalogues() -> None:
    """The shared catalogues come from a data migration, which a transactional test's flush removes."""
    if not Facility.objects.filter(code="microwave").exists():
        seed_catalogues(Facility, Service, ActivityKind)


def basic_facilities(kind: str) -> list[Facility]:
    ensure_catalogues()
    return [f for f in Facility.objects.filter(region__isnull=True) if kind in f.required_for]


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T-{n:05d}")
    name = factory.Sequence(lambda n: f"测试驿站{n}")
    kind = StationKind.REST_STATION
    region_id = JIAFENG
    address = "嘉峰镇测试路1号"
    latitude = Decimal("35.717000")
    longitude = Decimal("112.431000")
    area_m2 = Decimal("40.0")
    status = StationStatus.OPERATING

    @factory.post_generation
    def facilities(self, create, extracted, **kwargs):
        if create:
            self.facilities.set(extracted if extracted is not None else basic_facilities(self.kind))

    @factory.post_generation
    def managers(self, create, extracted, **kwargs):
        if create and extracted:
            self.managers.set(extracted)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    station = factory.SubFactory(StationFactory)
    kind = factory.LazyFunction(lambda: (ensure_catalogues(), ActivityKind.objects.get(code="summer_cooling"))[1])
    date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=3))
    title = factory.Sequence(lambda n: f"送清凉活动{n}")
    participants = 20


class VisitorCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitorCount

    station = factory.SubFactory(StationFactory)
    date = factory.Sequence(lambda n: dt.date.today() - dt.timedelta(days=n + 1))
    visitors = 35


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rectification

    station = factory.SubFactory(StationFactory)
    issued_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=40))
    findings = "饮水机损坏，卫生状况差"
    deadline = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=10))


# --- The public finder ----------------------------------------------------------------------------------------


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    """One opening period; ``closes=dt.time(0, 0)`` means midnight."""

    class Meta:
        model = OpeningHours

    station = factory.SubFactory(StationFactory)
    weekday = 0
    opens = dt.time(8, 30)
    closes = dt.time(20, 0)


def open_every_day(station: Station, opens: dt.time = dt.time(8, 30), closes: dt.time = dt.time(20, 0)) -> Station:
    """Give a station the same opening period on all seven days."""
    for weekday in range(7):
        OpeningHoursFactory(station=station, weekday=weekday, opens=opens, closes=closes)
    return station
