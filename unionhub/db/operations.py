"""Migration operations that are safe on a full production table.

``AddIndexSafely`` builds an index with ``CREATE INDEX CONCURRENTLY`` on PostgreSQL - the table stays
readable and writable while it builds, where a plain ``CREATE INDEX`` would block every write to a million-row
member table for the length of the build. The migration must say ``atomic = False`` (PostgreSQL refuses a
concurrent build inside a transaction). On SQLite, the developer database, the index is a plain one; an index
that only PostgreSQL has (a GIN trigram index) is recorded in the state and skipped there.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import OpClass, PostgresIndex
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex


def postgres_only(index) -> bool:
    """A GIN/GiST index, or one with an operator class: PostgreSQL's alone."""
    return (
        isinstance(index, PostgresIndex)
        or bool(index.opclasses)
        or any(isinstance(expression, OpClass) for expression in index.expressions)
    )


class AddIndexSafely(AddIndexConcurrently):
    """``AddIndexConcurrently`` on PostgreSQL, ``AddIndex`` elsewhere (PostgreSQL-only index types skipped)."""

    def _plain(self, schema_editor) -> bool:
        return schema_editor.connection.vendor != "postgresql"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not self._plain(schema_editor):
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        if postgres_only(self.index):
            return None
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if not self._plain(schema_editor):
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        if postgres_only(self.index):
            return None
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Create index {self.index.name} on {self.model_name} (concurrently on PostgreSQL)"
