"""Demo data of outreach."""


def seed(core) -> list[tuple[str, str]]:
    return []
