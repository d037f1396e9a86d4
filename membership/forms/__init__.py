"""Membership forms."""

from membership.forms.join import (  # noqa: F401
    ApplicationReviewForm,
    JoinForm,
    MemberAddForm,
    MemberChangeForm,
    RejectForm,
    StatusForm,
    TransferForm,
    UnionChoiceField,
    county_names,
    joinable_unions,
)
