"""The membership admin: the member register, the review queue, bulk review jobs and the reveal log."""

from membership.admin.applications import MembershipApplicationAdmin, PersonalDataRevealAdmin, ReviewBatchAdmin
from membership.admin.exports import MemberExportAdmin
from membership.admin.members import MemberAdmin

__all__ = [
    "MemberAdmin",
    "MemberExportAdmin",
    "MembershipApplicationAdmin",
    "PersonalDataRevealAdmin",
    "ReviewBatchAdmin",
]
from membership.admin.roster import RosterImportAdmin  # noqa: F401  (member roster imports)
