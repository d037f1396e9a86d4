"""Strict environment parsing for settings.

Every helper raises :class:`ConfigError` (a ``SystemExit``) with one line that names the variable, so a
malformed value stops start-up with a readable message instead of a traceback deep inside Django.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(SystemExit):
    """A malformed or missing environment variable; the message is the whole story."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"unionhub: configuration error: {name}: {problem}")


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(name, f"expected true or false, got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(name, f"expected a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ConfigError(name, f"must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(name: str, default: list[int], *, minimum: int | None = None) -> list[int]:
    """Comma-separated whole numbers ("3,3,5"); absent or empty gives ``default``."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return list(default)
    numbers = []
    for item in value.split(","):
        try:
            number = int(item)
        except ValueError:
            raise ConfigError(name, f"expected whole numbers separated by commas, got {value!r}") from None
        if minimum is not None and number < minimum:
            raise ConfigError(name, f"every number must be at least {minimum}, got {number}")
        numbers.append(number)
    return numbers


def env_mapping(name: str) -> dict[str, str]:
    """Comma-separated ``key=value`` pairs ("a=SMS_1,b=SMS_2"); absent or empty gives an empty dict."""
    result: dict[str, str] = {}
    for item in env_list(name):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigError(name, f"expected key=value pairs separated by commas, got {item!r}")
        result[key.strip()] = value.strip()
    return result


def env_url(name: str, *, schemes: set[str]) -> str | None:
    """A URL whose scheme is one of ``schemes``; absent or empty gives None."""
    value = env_str(name)
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in schemes:
        raise ConfigError(name, f"scheme must be one of {', '.join(sorted(schemes))}, got {value!r}")
    if parsed.scheme not in {"sqlite"} and not parsed.hostname:
        raise ConfigError(name, f"no host in {value!r}")
    try:
        parsed.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise ConfigError(name, f"malformed port in {value!r}") from None
    return value


# The embedded default: WAL lets the admin read while a background job writes; IMMEDIATE transactions take
# the write lock at BEGIN, so two writers queue (for up to ``timeout`` seconds) instead of failing mid-way.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_config(name: str, default_sqlite_path: str) -> dict:
    """DATABASES['default'] from a URL (PostgreSQL or SQLite), or an SQLite file when unset."""
    import dj_database_url

    url = env_url(name, schemes={"postgres", "postgresql", "sqlite"})
    if url is None:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": default_sqlite_path, "OPTIONS": dict(SQLITE_OPTIONS)}
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ConfigError(name, str(exc)) from None
    if config["ENGINE"].endswith("postgresql") and not config.get("NAME"):
        raise ConfigError(name, f"no database name in {url!r}")
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        config["CONN_MAX_AGE"] = 0
    if config["ENGINE"].endswith("postgresql"):
        # No JIT compilation for this application's sessions. PostgreSQL compiles a statement whose estimated
        # cost passes jit_above_cost, which every count or EXISTS over a table of millions does however few
        # rows it reads: the workbench's one counting statement (25 subqueries) spent 4.5 of its 4.8 s
        # compiling at 10M members (bench admin_scale --province). The pages' statements read index ranges;
        # none runs long enough for compiled expressions to pay back. A URL's own ``options`` are kept.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config
