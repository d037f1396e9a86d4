"""Personal numbers as membership shows them: the core's one policy (``unionhub.masking``)."""

from unionhub.masking import REVEAL_PERMISSION, can_reveal, mask_mobile, mask_resident_id  # noqa: F401
