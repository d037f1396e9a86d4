"""Core HTTP views: the health check."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from unionhub.celery import app
from unionhub.db.router import replica_alias, replica_lag
from unionhub.jobkinds import BEAT_HEARTBEAT
from unionhub.models import Heartbeat

# Beat runs the job sweep every minute; three missed runs mean beat is down.
BEAT_LATE_AFTER = dt.timedelta(minutes=3)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not used"
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    return "ok"


def _worker() -> str:
    if settings.JOB_RUNNER != "celery":
        return "not used"
    broker = settings.CELERY_BROKER_URL or ""
    if broker.startswith("redis"):  # a broker that is down is said at once, not after the pings' retries
        import redis

        redis.Redis.from_url(broker, socket_connect_timeout=1, socket_timeout=1).ping()
    # Asked twice before the worker is called down: the first ping after Redis restarted goes out on the
    # web process's broken broker connection and is lost (reported once per web process otherwise).
    for attempt in (1, 2):
        try:
            replies = app.control.ping(timeout=1.0)
        except Exception:
            if attempt == 2:
                raise
            continue
        if replies:
            return f"ok ({len(replies)})"
    raise RuntimeError("no worker answered twice")


def _beat() -> str:
    if settings.JOB_RUNNER != "celery":
        return "not used"
    beat = Heartbeat.objects.filter(name=BEAT_HEARTBEAT).values_list("at", flat=True).first()
    if beat is None:
        raise RuntimeError("beat has not run yet")
    if timezone.now() - beat > BEAT_LATE_AFTER:
        raise RuntimeError(f"last ran {timezone.localtime(beat):%Y-%m-%d %H:%M:%S}")
    return f"ok ({timezone.localtime(beat):%Y-%m-%d %H:%M:%S})"


CHECKS = {"database": _database, "redis": _redis, "worker": _worker, "beat": _beat}


def _replica() -> tuple[str, float | None]:
    """The replica's lag, measured now; a replica that is down or behind is said, but the site still works
    (its reads go to the primary), so it never makes the health check fail."""
    if replica_alias() is None:
        return "not used", None
    lag = replica_lag(fresh=True)
    return lag.describe(), None if lag.seconds is None else round(lag.seconds, 3)


@never_cache
@require_safe
def healthz(request):
    """Whether the site can do its work: the database, Redis, a worker and beat. No login, nothing personal;
    503 with the failing parts named when any is down (for the load balancer and the monitoring). The
    replica's lag beside them (``replica_lag_seconds``), for the monitoring only."""
    checks, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception as exc:  # any failure of a dependency is a failed check, never a 500
            checks[name] = f"down: {type(exc).__name__}: {str(exc)[:120]}"
            healthy = False
    checks["replica"], lag = _replica()
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": checks, "replica_lag_seconds": lag},
        status=200 if healthy else 503,
    )
