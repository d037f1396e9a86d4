"""employment admin; importing the modules registers their ModelAdmins."""

from employment.admin import sheets, vacancies, wishes  # noqa: F401
