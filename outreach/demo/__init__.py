"""Demo outreach for 沁水县, sized on Renhuai's figures (see ``outreach.demo.data``): about 3,000 employers with
150,000 workers, 130,000 of them in employers with a union and 20,000 in none; two outreach teams with a
year of visits; 味来酒业, whose union was founded after the third visit, with its first members; events with
check-ins; a pop-up joining desk with its applications; the year's service projects. Idempotent."""

from __future__ import annotations

from outreach.demo.employers import seed_employers
from outreach.demo.work import seed_work


def seed(core) -> list[tuple[str, str]]:
    seed_employers(core)
    seed_work(core)
    return []
