"""The scoping matrix, as data: one case per scoped model, added to by each app's tests.

A case knows how to make one row inside a given county, which form field decides where the row belongs
(so a test can try to move it out of scope), and how the row shows in an export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from tests.factories import TOWN_OF, UnionOrganizationFactory, UserFactory
from unionhub.models import Job, Message, MessageChannel, Region, UnionOrganization, UserScope


@dataclass(frozen=True)
class ScopeCase:
    model: type[Model]
    make: Callable[[str, dict], Model]  # (county code, people) -> a row in that county
    move_field: str | None  # form field that decides the row's scope; None when it cannot be edited
    label: Callable[[Model], str] = str  # how the row appears in an export
    station_scoped: bool = False  # the row belongs to a station that dave manages when made in county A


CASES: dict[type[Model], ScopeCase] = {}


def register(case: ScopeCase) -> None:
    CASES[case.model] = case


register(ScopeCase(Region, lambda county, people: Region.objects.get(code=TOWN_OF[county]), None, lambda r: r.name))
register(
    ScopeCase(
        UnionOrganization,
        lambda county, people: UnionOrganizationFactory(region_id=TOWN_OF[county]),
        "region",
        lambda o: o.name,
    )
)
register(
    ScopeCase(
        UserScope,
        lambda county, people: UserFactory(region=TOWN_OF[county]).scope,
        "region",
        lambda s: s.user.username,
    )
)


def load_app_cases() -> None:
    """Each app's tests register their own cases in ``tests/<app>/scope_cases.py``."""
    from importlib import import_module

    for app in ("stations", "membership", "casework", "outreach"):
        try:
            import_module(f"tests.{app}.scope_cases")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{app}.scope_cases":
                raise


def _job_in(county: str, people: dict):
    return Job.objects.create(kind="membership.roster_check", region_id=county)


register(ScopeCase(Job, _job_in, None, str))


def _message_in(county: str, people: dict):
    return Message.objects.create(
        channel=MessageChannel.SMS,
        recipient="13912345678",
        recipient_display="139****5678",
        template="membership.application_approved",
        subject="您的入会申请 ABCD2345",
        text="张三，欢迎加入工会！",
        region_id=county,
    )


register(ScopeCase(Message, _message_in, None, lambda m: m.recipient_display))
