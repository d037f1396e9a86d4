# Registers casework's scoping-matrix cases (tests/scope_cases.py does not list casework yet).
import tests.casework.scope_cases  # noqa: F401
