"""Membership: online applications, the member register, card numbering and the audit of revealed data."""

from membership.models.applications import MembershipApplication, ReviewBatch
from membership.models.audit import PersonalDataReveal
from membership.models.exports import ExportStatus, MemberExport  # noqa: F401  (kept apart: see the module)
from membership.models.members import CardCounter, Member, MemberTransfer
from membership.models.roster import ImportMode, ImportStatus, RosterImport, RosterRow, RowAction  # noqa: F401

__all__ = [
    "CardCounter",
    "Member",
    "MemberTransfer",
    "MembershipApplication",
    "PersonalDataReveal",
    "ReviewBatch",
]
