"""Public and staff views of hardship."""

from hardship.views.public import notice, notice_print

__all__ = ["notice", "notice_print"]
