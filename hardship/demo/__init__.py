"""Demo data of hardship."""


def seed(core) -> list[tuple[str, str]]:
    return []
