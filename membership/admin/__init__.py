"""The membership admin: the member register, the review queue, bulk review jobs and the reveal log."""

from membership.admin.applications import MembershipApplicationAdmin
from membership.admin.batches import ReviewBatchAdmin
from membership.admin.members import MemberAdmin
from membership.admin.reveal import PersonalDataRevealAdmin

__all__ = ["MemberAdmin", "MembershipApplicationAdmin", "PersonalDataRevealAdmin", "ReviewBatchAdmin"]
from membership.admin.roster import RosterImportAdmin  # noqa: F401  (member roster imports)
