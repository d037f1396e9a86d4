"""Public and staff views of employment."""

from employment.views.public import station_jobs, vacancy_list, wish

__all__ = ["station_jobs", "vacancy_list", "wish"]
