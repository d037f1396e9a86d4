"""Rate-limit counters in the cache, every counter a request asks about in one round trip.

A limit is a number of attempts per period (``30/10m``) in a group (``membership.join.ip``) for a value (the
client's address, or the join form's ID and mobile pair). Each group and value has a fixed window; its end is
shifted by a hash of the value, so that not every window ends at the same second. The counter's cache key is
a SHA-256 of the group, rate, value and window: no ID number or address is ever stored in the cache.

With Redis (production, CI) one Lua script counts all of a request's limits: the join POST's two counters are
one round trip, where django-ratelimit (used before) needed an ``add`` and an ``incr`` for each, three round
trips. With another cache (the in-process one of ``make run`` without Redis) Django's cache API counts them.
A cache that cannot count lets the request through and logs a warning: a Redis outage must not close the
public pages."""

from __future__ import annotations

import hashlib
import logging
import re
import time
import zlib
from dataclasses import dataclass

from django.core.cache import cache
from redis.commands.core import Script
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RATE_RE = re.compile(r"([1-9]\d*)/(\d*)([smhd])")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KEY_PREFIX = "rl:"

# KEYS: the counters; ARGV: for each, 1 to count an attempt or 0 to only read it, then its time to live.
_COUNT = """
local counts = {}
for i, key in ipairs(KEYS) do
  local n
  if ARGV[2 * i - 1] == '1' then
    n = redis.call('INCR', key)
    if n == 1 then redis.call('EXPIRE', key, ARGV[2 * i]) end
  else
    n = tonumber(redis.call('GET', key) or '0')
  end
  counts[i] = n
end
return counts
"""
# The script's SHA-1 is computed once; the call sends EVALSHA, and the script itself only after a Redis restart.
_SCRIPT = Script(None, _COUNT.encode())


@dataclass(frozen=True)
class Limit:
    """One limit: ``value`` is what is counted (an address, an ID and mobile pair); ``count=False`` only
    asks whether the limit is reached."""

    group: str
    rate: str
    value: str
    count: bool = True


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/10m"`` -> (30, 600): attempts, seconds."""
    match = RATE_RE.fullmatch(rate)
    if not match:
        raise ValueError(f"expected count/period such as 30/10m, got {rate!r}")
    number, multiple, unit = match.groups()
    return int(number), PERIODS[unit] * int(multiple or 1)


def _window_end(value: str, period: int, now: int) -> int:
    end = now - now % period + zlib.crc32(value.encode()) % period
    return end + period if end <= now else end


def over(limits: list[Limit]) -> int | None:
    """Count the limits' attempts; None while every limit is within its rate, else the seconds until the
    longest of the windows over their rate ends (at least 1)."""
    now = int(time.time())
    keys, plans = [], []
    for limit in limits:
        allowed, period = parse_rate(limit.rate)
        end = _window_end(limit.value, period, now)
        digest = hashlib.sha256(f"{limit.group}\0{allowed}/{period}\0{limit.value}\0{end}".encode()).hexdigest()
        keys.append(KEY_PREFIX + digest)
        plans.append((allowed, end - now, limit.count))
    try:
        counts = _count(keys, plans)
    except (RedisError, OSError):
        logger.warning("rate-limit counters unavailable: request let through", exc_info=True)
        return None
    waits = [
        left
        for n, (allowed, left, counted) in zip(counts, plans, strict=True)
        if (n > allowed if counted else n >= allowed)
    ]
    return max(max(waits), 1) if waits else None


def _count(keys: list[str], plans: list[tuple[int, int, bool]]) -> list[int]:
    client = getattr(cache, "client", None)
    if hasattr(client, "get_client"):  # django-redis: one script call for every counter
        args = [arg for _allowed, left, counted in plans for arg in ("1" if counted else "0", left + 1)]
        keys = [cache.make_key(key) for key in keys]
        return [int(n) for n in _SCRIPT(keys=keys, args=args, client=client.get_client(write=True))]
    counts = []
    for key, (_allowed, left, counted) in zip(keys, plans, strict=True):
        if not counted:
            counts.append(int(cache.get(key, 0) or 0))
            continue
        cache.add(key, 0, left + 1)
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between the two calls: a fresh window
            cache.add(key, 1, left + 1)
            counts.append(1)
    return counts
