"""Scoping-matrix cases for the membership app (see tests/scope_cases.py)."""

from membership.models import (
    Member,
    MemberExport,
    MembershipApplication,
    PersonalDataReveal,
    ReviewBatch,
    RosterImport,
)
from tests.membership.factories import ApplicationFactory, MemberFactory, union_in
from tests.scope_cases import ScopeCase, register


def member_in(county, people):
    return MemberFactory(union=union_in(county))


def application_in(county, people):
    return ApplicationFactory(union=union_in(county))


def batch_in(county, people):
    return ReviewBatch.objects.create(action="approve", region_id=county, requested_by=people["root"], total=3)


def reveal_in(county, people):
    member = member_in(county, people)
    return PersonalDataReveal.objects.create(
        user=people["root"],
        subject="member",
        member=member,
        subject_label=member.name,
        fields="resident_id",
        region_id=county,
    )


register(ScopeCase(Member, member_in, "union", lambda m: m.card_number))
register(ScopeCase(MembershipApplication, application_in, "union", lambda a: a.reference))
register(ScopeCase(ReviewBatch, batch_in, None, str))
register(ScopeCase(PersonalDataReveal, reveal_in, None, lambda r: r.subject_label))


def roster_import_in(county, people):
    return RosterImport.objects.create(
        created_by=people["root"], region_id=county, filename=f"{county}.csv", file=f"rosters/{county}.csv"
    )


register(ScopeCase(RosterImport, roster_import_in, None, lambda r: r.filename))


def export_in(county, people):
    return MemberExport.objects.create(created_by=people["root"], region_id=county, file_format="csv")


register(ScopeCase(MemberExport, export_in, None, str))
