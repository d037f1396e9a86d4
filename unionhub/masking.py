"""How personal numbers appear to someone who has not asked (with permission, logged) to see them: the one
policy for every app (membership's members and applications, casework's requests, history pages, logs)."""

from __future__ import annotations

from unionhub.validators import mask_middle

REVEAL_PERMISSION = "membership.reveal_personal_data"


def mask_resident_id(value: str) -> str:
    """140521********123X: the county of issue and the last four stay readable."""
    return mask_middle(value or "", 6, 4)


def mask_mobile(value: str) -> str:
    """138****5678."""
    return mask_middle(value or "", 3, 4)


def can_reveal(user) -> bool:
    return bool(user and user.has_perm(REVEAL_PERMISSION))


# Fields that hold personal numbers, by name, wherever they are (history pages mask them by these names).
PERSONAL_NUMBER_MASKS = {"resident_id": mask_resident_id, "mobile": mask_mobile}
