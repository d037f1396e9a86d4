"""`python -m bench._readme RESULTS README`: rewrite the README's "latest run" section from a `make bench` output;
`python -m bench._readme --province RESULTS README`: rewrite its province table from an ``admin_scale --province``
output (``bench/RESULTS-province.txt``), between ``<!-- bench:province:start -->`` and ``…:end -->``.

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


def rewrite(readme: str, summary: str, start: str = START, end: str = END) -> str:
    if start not in readme or end not in readme:
        raise SystemExit(f"README has no {start} … {end} section")
    before, rest = readme.split(start, 1)
    _old, after = rest.split(end, 1)
    return f"{before}{start}\n{summary}\n{end}{after}"


PAGE_ROW = re.compile(
    r"^(?P<page>.{46}) (?P<who>county|city|province|superuser|public)\s+(?P<median>[\d.]+)\s+(?P<p95>[\d.]+)\s+"
    r"(?P<q>\d+|-)\s+(?P<kb>\d+)\s+(?:(?P<peer_med>\d+)\s+(?P<peer_p95>\d+)\s+(?P<ratio>[\d.]+x)\s+)?"
    r"(?P<verdict>ok|MISSED) \((?P<target>[^)]*)\)"
)
PERSONAS = ("county", "city", "province", "superuser")


def province_table(output: str) -> str:
    """The page rows of an ``admin_scale --province`` output as one Markdown row per page: p95 and queries per
    persona, the peer's p95 and the ratio (superuser), and the verdict naming who missed."""
    pages: dict[str, dict] = {}
    for line in output.splitlines():
        match = PAGE_ROW.match(line)
        if not match:
            continue
        row = pages.setdefault(match["page"].strip(), {"target": match["target"], "by": {}, "peer": None})
        row["by"][match["who"]] = match
        if match["ratio"]:
            row["peer"] = (int(match["peer_p95"]), match["ratio"])
    lines = [
        "| page | p95 county / city / province / superuser (ms) | queries | Django ModelAdmin p95 (superuser) | ratio "
        "| target |",
        "|---|---|---|---|---|---|",
    ]
    for page, row in pages.items():
        by = row["by"]
        if "public" in by:
            p95s, queries = f"{float(by['public']['p95']):.0f} (public)", "-"
        else:
            p95s = " / ".join(f"{float(by[w]['p95']):.0f}" if w in by else "-" for w in PERSONAS)
            queries = "/".join(by[w]["q"] if w in by else "-" for w in PERSONAS)
        missed = [w for w, m in by.items() if m["verdict"] == "MISSED"]
        verdict = f"{row['target']}: " + (f"**MISSED** ({', '.join(missed)})" if missed else "met")
        peer, ratio = (f"{row['peer'][0]:,}", f"**{row['peer'][1].replace('x', '×')}**") if row["peer"] else ("-", "-")
        lines.append(f"| {page} | {p95s} | {queries} | {peer} | {ratio} | {verdict} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--province":
        results, readme = Path(argv[1]), Path(argv[2])
        table = province_table(results.read_text(encoding="utf-8"))
        text = rewrite(readme.read_text(encoding="utf-8"), table, "<!-- bench:province:start -->",
                       "<!-- bench:province:end -->")  # fmt: skip
        readme.write_text(text)
        print(f"{readme}: the province table from {results}")
        return 0
    results, readme = Path(argv[0]), Path(argv[1])
    readme.write_text(rewrite(readme.read_text(encoding="utf-8"), summarise(results.read_text(encoding="utf-8"))))
    print(f"{readme}: the latest run's figures from {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
