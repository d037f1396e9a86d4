"""What the machine was doing when a figure was measured: printed beside every benchmark's figures."""

from __future__ import annotations

import os
import time

PROBE_ROUNDS = 3


def _probe_work() -> int:
    """A fixed piece of interpreter work: integers to text, dictionary lookups and updates (what a roster
    check's Python does per cell), about 0.1 s on a quiet core of the 2-core development machine."""
    seen: dict[str, int] = {}
    for n in range(200_000):
        key = str(n * 7919 % 100_003)
        seen[key] = seen.get(key, 0) + len(key)
    return len(seen)


def cpu_probe_ms() -> float:
    """Milliseconds for ``_probe_work``, best of ``PROBE_ROUNDS``. On a shared virtual machine the load average
    does not show the time other guests take from it (this machine reports no stolen time), and this does:
    two runs of the same code whose probes differ by half ran on hosts that differ as much."""
    best = float("inf")
    for _ in range(PROBE_ROUNDS):
        started = time.perf_counter()
        _probe_work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def machine_load() -> str:
    """The load averages (1, 5, 15 min) against the cores, and the CPU probe: figures measured beside other
    work, or on a host slowed by other guests, are inflated."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores, CPU probe {cpu_probe_ms():.0f} ms"
