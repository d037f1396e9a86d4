"""Demo data of employment."""


def seed(core) -> list[tuple[str, str]]:
    return []
