"""Membership: online applications, the member register, card numbering and the audit of revealed data."""

from membership.models.applications import MembershipApplication, ReviewBatch
from membership.models.audit import PersonalDataReveal
from membership.models.exports import ExportFormat, MemberExport
from membership.models.members import CardCounter, Member, MemberTransfer
from membership.models.roster import ImportMode, ImportStatus, RosterImport, RosterRow, RowAction  # noqa: F401
from membership.models.summaries import CountyMembers

__all__ = [
    "CardCounter",
    "CountyMembers",
    "ExportFormat",
    "Member",
    "MemberExport",
    "MemberTransfer",
    "MembershipApplication",
    "PersonalDataReveal",
    "ReviewBatch",
]
