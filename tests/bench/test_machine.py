"""The machine's state printed beside every benchmark: the load and the CPU probe."""

import re

from bench import _machine
from bench._readme import summarise


def test_the_load_line_carries_the_cpu_probe_and_the_readme_summary_keeps_it(monkeypatch):
    line = _machine.machine_load()
    assert re.fullmatch(r"[\d.]+ [\d.]+ [\d.]+ on \d+ cores, CPU probe \d+ ms", line), line
    monkeypatch.setattr(_machine, "cpu_probe_ms", lambda: 187.4)
    line = _machine.machine_load()
    assert line.endswith(", CPU probe 187 ms")
    output = f"=== roster_import: Import.\nmachine load before: {line}\nratio: 2x\n=== roster_import finished in 3.0 s"
    assert f"machine load before {line}, after not printed" in summarise(output)


def test_the_probe_is_the_best_of_its_rounds(monkeypatch):
    clock = iter([0.0, 0.30, 1.0, 1.12, 2.0, 2.20])  # three rounds: 300, 120 and 200 ms
    monkeypatch.setattr(_machine.time, "perf_counter", lambda: next(clock))
    monkeypatch.setattr(_machine, "_probe_work", lambda: 0)
    assert round(_machine.cpu_probe_ms()) == 120
