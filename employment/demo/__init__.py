"""Demo data of employment: a year of 沁水县's jobs at the stations (see ``employment.demo.jobs``)."""

from employment.demo.jobs import seed_jobs


def seed(core) -> list[tuple[str, str]]:
    seed_jobs(core)
    return []
