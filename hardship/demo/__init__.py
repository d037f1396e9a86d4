"""Demo data of hardship, for 沁水县: the register (2,262 households on file in all three layers, and
applications at every step with a notice running), its funds, a year of quarterly condolence (the Guangxi
table: 2,714,400 yuan), an autumn student-aid cycle, a returned handout re-issued, the 2026 re-checks.
Idempotent: a second run finds its rows and writes nothing."""

from __future__ import annotations

from hardship.demo.money import seed_money
from hardship.demo.register import seed_applications, seed_criteria, seed_register


def seed(core) -> list[tuple[str, str]]:
    user = core.users.get("qinshui")
    seed_criteria()
    seed_register(core)
    seed_applications(core, user)
    seed_money(user)
    return []
