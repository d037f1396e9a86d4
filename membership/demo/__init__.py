"""Demo data of the membership app: the member register and the review queue."""

from membership.demo.members import seed  # noqa: F401
