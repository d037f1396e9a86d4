"""Demo data of api."""


def seed(core) -> list[tuple[str, str]]:
    return []
