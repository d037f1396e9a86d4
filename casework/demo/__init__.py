"""Demo casework for 沁水县: a year (2025) of workers' requests and mediation cases, and open requests
in every state dated from the day it is loaded (some overdue, one at the top of the hierarchy).

The 2025 mediation figures are Xiamen's union mediation desk's (GLOSSARY): 4976 cases received, 4672 closed,
1595 settled, 43.41 million yuan agreed - so the figures page for 2025 reproduces that table. Among them the
Xiamen group dispute (43 workers, 3.62 million yuan, settled in 11 days, paid in instalments) and Jiafeng's
1.3-million-yuan work-injury settlement. Idempotent: rows are keyed by reference and case number, and a
second run finds them and writes nothing."""

from __future__ import annotations

from casework.demo.cases import seed_cases
from casework.demo.requests import seed_open_requests, seed_requests, seed_settings


def seed(core) -> None:
    handlers = seed_settings(core)
    seed_requests(core, handlers)
    seed_open_requests(core, handlers)
    seed_cases(core)
