"""`python -m bench [name ...] [-- args]`: run every benchmark module (or the named ones) and print figures.

Each benchmark module defines ``run(argv: list[str]) -> None`` and parses its own arguments (row counts and
the like, so that a quick run is possible)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

from bench._machine import machine_load


def discover() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


SHOWN_SETTINGS = ["server_version", "fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "work_mem"]
SHOWN_SETTINGS += ["maintenance_work_mem", "max_wal_size", "random_page_cost"]


def print_database_settings() -> None:
    """Which durability the figures were measured with (production keeps all three on)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print(f"database: {url or 'SQLite (default)'}")
        return
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        shown = []
        for setting in SHOWN_SETTINGS:
            cursor.execute(f"SHOW {setting}")
            shown.append(f"{setting}={cursor.fetchone()[0]}")
    print("PostgreSQL: " + ", ".join(shown))


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhub.settings")
    names, rest = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    names = names or discover()
    unknown = set(names) - set(discover())
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}; available: {', '.join(discover())}")
        return 2
    print_database_settings()
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"\n=== {name}: {(module.__doc__ or '').strip().splitlines()[0] if module.__doc__ else ''}")
        print(f"machine load before: {machine_load()}")
        started = time.perf_counter()
        module.run(rest)
        print(f"=== {name} finished in {time.perf_counter() - started:.1f} s; machine load after: {machine_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
