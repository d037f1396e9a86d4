"""factory_boy factories for the core models. Regions are real (loaded from the shipped data file)."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from unionhub.models import OrganizationKind, Region, UnionOrganization, UserScope
from unionhub.roles import GROUP_NAMES
from unionhub.services import regions_load
from unionhub.validators import credit_code_check_char

QINSHUI, YANGCHENG, JINCHENG = "140521", "140522", "1405"
JIAFENG, RUNCHENG = "140521104", "140522102"
TOWN_OF = {QINSHUI: JIAFENG, YANGCHENG: RUNCHENG}


def ensure_regions() -> None:
    # Transactional tests flush every table, so check rather than load once per session.
    if not Region.objects.filter(code=JIAFENG).exists():
        regions_load()


def credit_code(n: int) -> str:
    base = f"9114{n:013d}"
    return base + credit_code_check_char(base)


class UnionOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnionOrganization

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司工会")
    kind = OrganizationKind.GRASSROOTS
    region_id = JIAFENG
    employer = factory.LazyAttribute(lambda o: o.name.removesuffix("工会"))
    credit_code = factory.Sequence(credit_code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=GROUP_NAMES[extracted]))

    @factory.post_generation
    def region(self, create, extracted, **kwargs):
        if extracted:
            UserScope.objects.update_or_create(user=self, defaults={"region_id": extracted})
        self.save()
