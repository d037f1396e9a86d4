"""`python -m bench._readme RESULTS README`: rewrite the README's "latest run" section from a `make bench` output.

`make bench` keeps its output in ``bench/RESULTS-latest.txt``; `make bench-readme` calls this. From each
benchmark's part of the output it keeps the lines that carry a verdict or a ratio (``ratio``, ``target``,
``MISSED``, ``data:``) with the machine's load before and after, and writes them between the README's
``<!-- bench:latest:start -->`` and ``<!-- bench:latest:end -->`` markers - so that the figures in the README
are the ones a run printed, not retyped."""

from __future__ import annotations

import re
import sys
from pathlib import Path

START, END = "<!-- bench:latest:start -->", "<!-- bench:latest:end -->"
KEEP = re.compile(r"ratio|target|MISSED|^data:|^PostgreSQL:")
SECTION = re.compile(r"^=== (\w+): ")
FINISHED = re.compile(r"^=== (\w+) finished in ([\d.]+) s(?:; machine load after: (.*))?")


def summarise(output: str) -> str:
    """The kept lines of each benchmark, as Markdown."""
    parts, current, lines, load = [], None, [], ""
    settings = next((line for line in output.splitlines() if line.startswith("PostgreSQL:")), "")
    for line in output.splitlines():
        opened, finished = SECTION.match(line), FINISHED.match(line)
        if opened and not finished:
            current, lines, load = opened.group(1), [], ""
        elif line.startswith("machine load before:"):
            load = line.split(":", 1)[1].strip()
        elif finished and current:
            before, after = load or "not printed", finished.group(3) or "not printed"
            heading = f"**{current}** — {finished.group(2)} s; machine load before {before}, after {after}"
            body = "\n".join(lines) if lines else "(no ratio or target printed)"
            parts.append(f"{heading}\n\n```\n{body}\n```")
            current = None
        elif current and KEEP.search(line):
            lines.append(line.rstrip())
    head = f"Database: {settings.removeprefix('PostgreSQL: ')}\n\n" if settings else ""
    return head + "\n\n".join(parts)


def rewrite(readme: str, summary: str) -> str:
    if START not in readme or END not in readme:
        raise SystemExit(f"README has no {START} … {END} section")
    before, rest = readme.split(START, 1)
    _old, after = rest.split(END, 1)
    return f"{before}{START}\n{summary}\n{END}{after}"


def main(argv: list[str]) -> int:
    results, readme = Path(argv[0]), Path(argv[1])
    readme.write_text(rewrite(readme.read_text(encoding="utf-8"), summarise(results.read_text(encoding="utf-8"))))
    print(f"{readme}: the latest run's figures from {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
