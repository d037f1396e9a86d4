"""Casework writes: the only place for rules. Re-exported by capability."""
