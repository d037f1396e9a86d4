"""Public and staff views of hardship."""

from hardship.views.apply import applied, apply, status
from hardship.views.public import notice, notice_print

__all__ = ["applied", "apply", "notice", "notice_print", "status"]
