"""`make bench-readme`: the README's latest-run section is the bench output's verdict lines, nothing retyped."""

import pytest

from bench._readme import END, START, rewrite, summarise

OUTPUT = """services: PostgreSQL on 127.0.0.1:1, Redis on 127.0.0.1:2
PostgreSQL: server_version=15.18, fsync=on

=== job_matching: One vacancy against many wishes.
machine load before: 0.50 0.40 0.30 on 2 cores
building 100,000 wishes
database work 92.1 ms, 1 query
ratio Python loop / database: 15.2x (same top 50)
target: 92.1 ms <= 100 ms: ok
=== job_matching finished in 12.5 s; machine load after: 0.90 0.50 0.30 on 2 cores

=== subsidy_run: Subsidy run.
machine load before: 1.00 0.80 0.60 on 2 cores
list, first page   county  59.6  78.2  5  63   MISSED (≤50 ms)
=== subsidy_run finished in 3.0 s; machine load after: 1.10 0.80 0.60 on 2 cores
"""


def test_it_keeps_the_verdicts_with_the_load_of_each_benchmark():
    summary = summarise(OUTPUT)
    assert summary.startswith("Database: server_version=15.18, fsync=on")
    assert "**job_matching** — 12.5 s; machine load before 0.50 0.40 0.30 on 2 cores, after 0.90" in summary
    assert "ratio Python loop / database: 15.2x (same top 50)" in summary
    assert "target: 92.1 ms <= 100 ms: ok" in summary
    assert "building 100,000 wishes" not in summary and "database work" not in summary
    assert "MISSED (≤50 ms)" in summary.split("**subsidy_run**")[1]


def test_it_rewrites_only_the_marked_section():
    readme = f"# unionhub\n\nintro\n\n{START}\nold figures\n{END}\n\nafter\n"
    rewritten = rewrite(readme, "new figures")
    assert rewritten == f"# unionhub\n\nintro\n\n{START}\nnew figures\n{END}\n\nafter\n"
    with pytest.raises(SystemExit):
        rewrite("# no markers", "x")


# The rows as the benchmark prints them (wider than the code's lines).
PROVINCE = """page                                           as         median     p95   q      KB  peer med peer p95    ratio   target
list, first page                               county       28.9    40.2   5      71                               ok (≤150 ms)
list, first page                               city         25.2   181.0   5      52                               MISSED (≤150 ms)
list, first page                               superuser    27.9    36.0   4      71      1969     2109     58.7x  ok (≤150 ms)
127.0.0.1 - - [05/Dec/2026:20:12:17 +0800] "GET /admin/membership/member/ HTTP/1.1" 200 72861 "-" "-"
finder, first screen                           public       36.7    51.3   -      67                               ok (≤150 ms)
"""  # noqa: E501


def test_the_province_table_is_one_row_per_page_with_who_missed():
    from bench._readme import province_table

    lines = province_table(PROVINCE).splitlines()
    assert lines[2] == (
        "| list, first page | 40 / 181 / - / 36 | 5/5/-/4 | 2,109 | **58.7×** | ≤150 ms: **MISSED** (city) |"
    )
    assert lines[3] == "| finder, first screen | 51 (public) | - | - | - | ≤150 ms: met |"
    assert len(lines) == 4
