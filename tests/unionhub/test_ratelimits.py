"""The rate-limit counters (unionhub.ratelimits): the same answers from Redis and from Django's own cache, every
counter of a request in one round trip to Redis, exact under concurrent requests, and open when Redis is down."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import caches

from unionhub import ratelimits
from unionhub.ratelimits import Limit, over, parse_rate

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit-tests"}}


@pytest.fixture(params=[pytest.param("redis", marks=pytest.mark.redis), "locmem"])
def backend(request, settings):
    """Each test runs on the Redis cache (as in production and CI) and on Django's in-process cache."""
    if request.param == "locmem":
        settings.CACHES = LOCMEM
    assert settings.CACHES["default"]["BACKEND"].startswith("django_redis") == (request.param == "redis")
    caches["default"].clear()
    return request.param


@pytest.fixture
def on_redis(settings):
    assert settings.CACHES["default"]["BACKEND"].startswith("django_redis")
    caches["default"].clear()


def test_a_rate_reads_as_attempts_and_seconds():
    assert parse_rate("30/10m") == (30, 600)
    assert parse_rate("3/h") == (3, 3600)
    assert parse_rate("100000000/m") == (100000000, 60)
    assert parse_rate("5/d") == (5, 86400)
    for bad in ("0/m", "30", "30/10x", "/m", "30/m "):
        with pytest.raises(ValueError, match="30/10m"):
            parse_rate(bad)


def test_attempts_within_the_rate_pass_and_the_next_is_told_how_long_to_wait(backend):
    limit = Limit("tests.attempts", "3/10m", "10.9.0.1")
    assert [over([limit]) for _ in range(3)] == [None, None, None]
    wait = over([limit])
    assert wait is not None and 1 <= wait <= 600
    assert over([Limit("tests.attempts", "3/10m", "10.9.0.2")]) is None  # another value: its own counter
    assert over([Limit("tests.other", "3/10m", "10.9.0.1")]) is None  # another group: its own counter


def test_asking_without_counting_counts_nothing(backend):
    ask = Limit("tests.ask", "2/h", "10.9.1.1", count=False)
    count = Limit("tests.ask", "2/h", "10.9.1.1")
    assert [over([ask]) for _ in range(5)] == [None] * 5
    assert over([count]) is None
    assert over([ask]) is None  # one of two used
    assert over([count]) is None
    assert over([ask]) is not None  # two of two: asking says so before a third is tried


def test_several_limits_count_together_and_the_longest_wait_is_returned(backend):
    per_address = Limit("tests.join.ip", "100/m", "10.9.2.1")
    per_person = Limit("tests.join.id", "1/h", "110101199003077777:13800000000")
    assert over([per_address, per_person]) is None
    wait = over([per_address, per_person])
    assert wait is not None and wait > 60  # the hour-long window, not the minute
    assert over([per_address]) is None  # the address's counter counted both attempts, and a third: 3 of 100


@pytest.mark.redis
def test_a_request_s_counters_are_one_round_trip_to_redis_and_hold_no_value(on_redis, redis_commands):
    value = "110101199003077777:13800000000"
    assert over([Limit("tests.trip.ip", "10/m", "10.9.3.1"), Limit("tests.trip.id", "3/h", value)]) is None
    # The script itself is sent only when Redis does not know it (after a restart).
    assert redis_commands in (["EVALSHA"], ["EVALSHA", "SCRIPT LOAD", "EVALSHA"])
    client = caches["default"].client.get_client(write=True)
    keys = [key.decode() for key in client.keys("*")]
    assert len(keys) == 2 and all(":rl:" in key for key in keys)
    assert not any("110101199003077777" in key or "10.9.3.1" in key for key in keys)
    assert all(0 < client.ttl(key) <= 3601 for key in keys)


def test_concurrent_attempts_are_counted_exactly(backend):
    """Twenty threads, one attempt each, against a limit of eight: exactly eight pass, however they interleave."""
    limit = Limit("tests.race", "8/h", "10.9.4.1")
    start = threading.Barrier(20)
    results = []

    def attempt():
        start.wait()
        results.append(over([limit]))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 8 and len(results) == 20


@pytest.mark.redis
def test_with_redis_unreachable_requests_go_through_at_once_and_a_warning_is_logged(on_redis, settings, caplog):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}  # nothing listens there
    }
    started = time.monotonic()
    assert over([Limit("tests.down", "1/h", "10.9.5.1")]) is None
    assert over([Limit("tests.down", "1/h", "10.9.5.1")]) is None
    assert time.monotonic() - started < 3
    assert "rate-limit counters unavailable" in caplog.text


def test_windows_of_different_values_end_at_different_seconds():
    ends = {ratelimits._window_end(f"10.9.6.{n}", 600, 1_800_000_000) for n in range(50)}
    assert len(ends) > 10
    assert all(1_800_000_000 < end <= 1_800_000_600 for end in ends)
