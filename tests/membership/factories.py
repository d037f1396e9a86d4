"""Factories for members and applications. ID numbers are generated valid (check character computed)."""

import datetime as dt
import itertools

import factory

from membership import services
from membership.choices import ApplicationStatus, Occupation
from membership.models import Member, MembershipApplication
from tests.factories import QINSHUI, TOWN_OF, UnionOrganizationFactory
from unionhub.validators import resident_id_check_char

_serial = itertools.count(1)


def resident_id(county: str = QINSHUI, birth: dt.date = dt.date(1990, 5, 17), serial: int | None = None) -> str:
    """A valid 18-character resident ID number issued in ``county``; a fresh sequence each call."""
    serial = next(_serial) % 1000 if serial is None else serial
    base = f"{county}{birth:%Y%m%d}{serial:03d}"
    return base + resident_id_check_char(base)


def mobile(n: int) -> str:
    return f"139{n % 100000000:08d}"


def holding_pool(county: str = QINSHUI):
    """The county's holding-pool union (周转库), created if missing."""
    from unionhub.models import UnionOrganization

    pool = UnionOrganization.objects.filter(region_id=county, is_holding_pool=True).first()
    return pool or UnionOrganizationFactory(
        name=f"{county}会员周转库", region_id=county, is_holding_pool=True, credit_code=None, employer=""
    )


class MemberFactory(factory.django.DjangoModelFactory):
    """Saved through ``services.member_create``, so card numbers come from the county's counter."""

    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"会员{n}")
    resident_id = factory.LazyFunction(resident_id)
    mobile = factory.Sequence(mobile)
    union = factory.SubFactory(UnionOrganizationFactory)
    employer = "测试企业"
    occupation = Occupation.DELIVERY_RIDER
    join_date = factory.LazyFunction(lambda: dt.date(2025, 3, 1))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.member_create(member=model_class(*args, **kwargs))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipApplication

    reference = factory.LazyFunction(services.reference_new)
    name = factory.Sequence(lambda n: f"申请人{n}")
    resident_id = factory.LazyFunction(resident_id)
    mobile = factory.Sequence(lambda n: mobile(n + 50000000))
    employer = "美团外卖"
    occupation = Occupation.DELIVERY_RIDER
    union = factory.SubFactory(UnionOrganizationFactory)
    county_id = factory.LazyAttribute(lambda o: o.union.region_id[:6] if o.union else QINSHUI)
    consent_version = "2026-01"
    status = ApplicationStatus.PENDING

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        application = model_class(*args, **kwargs)
        application.set_personal_details()
        application.save()
        return application


def union_in(county: str, **kwargs):
    return UnionOrganizationFactory(region_id=TOWN_OF[county], **kwargs)
