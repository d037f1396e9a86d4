"""Reads on a replica: which database a query goes to (README "Reads on a replica").

With ``DATABASE_REPLICA_URL`` set (``settings.DATABASE_REPLICA_ALIAS``) the ``ReplicaRouter`` sends a read to the
PostgreSQL streaming replica only when all of these hold, and to the primary otherwise:

* the read happens inside a context that allows it - a list, report, export or API ``GET`` (marked by
  ``unionhub.middleware.ReplicaReadsMiddleware`` through :func:`reads_on_replica`) or a ``with
  replica_reads():`` block; a Celery task, a management command, a ``POST`` reads from the primary;
* that context has not written (read-your-writes: any ``db_for_write`` marks it), and the browser did not
  write within ``DATABASE_REPLICA_STICKY_SECONDS`` (the middleware's cookie, :data:`STICKY_COOKIE`);
* no transaction is open on the primary (an ``atomic`` block reads what it writes);
* the replica is at most ``DATABASE_REPLICA_MAX_LAG_SECONDS`` behind (:func:`replica_lag`, measured at most
  every ``DATABASE_REPLICA_LAG_CHECK_SECONDS`` per process, the last reading shared by its threads).

The context is a :class:`contextvars.ContextVar` holding one :class:`Reads` per request or block: nothing is
kept on a shared object, so two requests served by threads of one process never see each other's marker.
Writes always go to the primary; migrations run on the primary only. Without a replica the router answers
nothing and Django routes as it always has."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY = DEFAULT_DB_ALIAS
# Read from the primary whatever the context: logins and their lock-outs must see the row just written.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes"})
# The browser's "I wrote at ..." marker: until the time in it (Unix seconds) its reads stay on the primary.
STICKY_COOKIE = "unionhub_primary_until"


@dataclass
class Reads:
    """One request's (or block's) routing state; made fresh for each, never shared between them."""

    replica: bool = False  # this context's reads may go to the replica
    wrote: bool = False  # something in this context went to the primary for writing


_reads: ContextVar[Reads | None] = ContextVar("unionhub_reads", default=None)


def replica_alias() -> str | None:
    """The replica's database alias when one is configured, else None."""
    alias = settings.DATABASE_REPLICA_ALIAS
    return alias if alias and alias in settings.DATABASES else None


def current() -> Reads | None:
    return _reads.get()


@contextmanager
def routing(state: Reads) -> Iterator[Reads]:
    """Run the block with ``state`` as its routing state (the middleware's request, a test)."""
    token = _reads.set(state)
    try:
        yield state
    finally:
        _reads.reset(token)


def replica_reads() -> AbstractContextManager[Reads]:
    """``with replica_reads():`` - reads in the block may go to the replica (until something in it writes)."""
    return routing(Reads(replica=True))


def reads_on_replica(allowed: bool = True) -> None:
    """Let (or stop) the current context's reads go to the replica; outside any context it does nothing."""
    state = _reads.get()
    if state is not None:
        state.replica = allowed


def read_alias() -> str:
    """Where a read made now would go (``PRIMARY`` or the replica's alias)."""
    alias = replica_alias()
    if alias is None:
        return PRIMARY
    state = _reads.get()
    if state is None or not state.replica or state.wrote:
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY
    if not replica_lag(alias).fresh:
        return PRIMARY
    return alias


class ReplicaRouter:
    """Django's database router (``DATABASE_ROUTERS``); every answer is None while no replica is configured."""

    def db_for_read(self, model, **hints):
        if replica_alias() is None:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        return read_alias()

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None:
            state.wrote = True  # read-your-writes: this context reads from the primary from now on
        return PRIMARY if replica_alias() is not None else None

    def allow_relation(self, obj1, obj2, **hints):
        alias = replica_alias()
        if alias is None:
            return None
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, alias} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        alias = replica_alias()
        if alias is not None and db == alias:
            return False  # a replica is read-only: it gets the schema by replication
        return None


# --- Lag -----------------------------------------------------------------------------------------------

# On the replica: 0 when everything received is replayed (a quiet primary sends nothing, and an old last
# transaction is no lag), else the age of the last transaction replayed; NULL when it is not a replica.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN NOT pg_is_in_recovery() THEN NULL
            WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 1e9)
       END
"""


@dataclass(frozen=True)
class Lag:
    """One measurement of the replica: its lag in seconds, or why there is none."""

    alias: str
    seconds: float | None
    error: str = ""
    at: float = 0.0  # time.monotonic() of the measurement

    @property
    def fresh(self) -> bool:
        """Whether reads may go to the replica: it answered, is a replica, and is within the threshold."""
        return self.seconds is not None and self.seconds <= settings.DATABASE_REPLICA_MAX_LAG_SECONDS

    def describe(self) -> str:
        limit = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
        if self.error:
            return f"down: {self.error}; reads on the primary"
        if self.seconds is None:
            return "down: not in recovery (not a replica); reads on the primary"
        if not self.fresh:
            return f"behind: lag {self.seconds:.1f} s > {limit} s; reads on the primary"
        return f"ok (lag {self.seconds:.1f} s)"


_lag_lock = threading.Lock()
_last_lag: Lag | None = None  # this process's last reading, shared by its threads (replaced whole, under the lock)


def _measure(alias: str) -> Lag:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, seconds = cursor.fetchone()
            if seconds is not None and seconds > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
                # Asked again a moment later: a record arriving on a quiet primary (its last transaction long
                # ago) is received but not yet replayed for an instant, which reads as a long lag.
                time.sleep(0.05)
                cursor.execute(LAG_SQL)
                in_recovery, again = cursor.fetchone()
                seconds = again if again is None else min(seconds, again)
    except Exception as exc:  # a replica that is down or refuses: its reads go to the primary
        with suppress(Exception):  # closing a dead connection may fail too
            connection.close()  # a fresh connection next time, not a broken one
        return Lag(alias, None, f"{type(exc).__name__}: {str(exc).strip()[:120]}", time.monotonic())
    return Lag(alias, max(0.0, float(seconds)) if in_recovery and seconds is not None else None, "", time.monotonic())


def replica_lag(alias: str | None = None, *, fresh: bool = False) -> Lag:
    """The replica's lag, measured at most every ``DATABASE_REPLICA_LAG_CHECK_SECONDS`` in this process
    (``fresh``: measured now, as ``/healthz`` does). Threads share the last reading; two may measure at the
    same moment, and either reading is right."""
    global _last_lag
    alias = alias or replica_alias()
    if alias is None:
        raise LookupError("no replica is configured (DATABASE_REPLICA_URL)")
    with _lag_lock:
        last = _last_lag
    if (
        not fresh
        and last is not None
        and last.alias == alias
        and time.monotonic() - last.at < settings.DATABASE_REPLICA_LAG_CHECK_SECONDS
    ):
        return last
    reading = _measure(alias)
    with _lag_lock:
        _last_lag = reading
    return reading


def forget_lag() -> None:
    """Drop this process's last reading (tests; a changed threshold takes effect at the next read anyway)."""
    global _last_lag
    with _lag_lock:
        _last_lag = None
