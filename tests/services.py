"""Which real services this run has: PostgreSQL, Redis, a Celery broker, Chromium.

With ``CI=true`` a missing service is an error that stops the run; locally the tests that need it are not
run and the summary says so loudly."""

from __future__ import annotations

import os
import shutil
from functools import cache

from django.conf import settings

CHROMIUM = "/usr/bin/chromium"


@cache
def redis_reachable(url: str | None) -> bool:
    if not url or not url.startswith("redis"):
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def missing_services() -> dict[str, str]:
    """marker name -> why its tests cannot run here."""
    missing = {}
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing["postgres"] = "DATABASE_URL does not point at PostgreSQL"
    if not redis_reachable(settings.REDIS_URL):
        missing["redis"] = "REDIS_URL is unset or Redis does not answer"
    if not redis_reachable(settings.CELERY_BROKER_URL):
        missing["celery_worker"] = "CELERY_BROKER_URL is unset or its Redis does not answer"
    if not settings.DATABASE_REPLICA_URL or "postgres" in missing:
        missing["replica"] = "DATABASE_REPLICA_URL is unset (.ci/with-services --replica starts one)"
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        missing["browser"] = f"{CHROMIUM} is not installed"
    return missing


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
