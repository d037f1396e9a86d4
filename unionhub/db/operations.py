"""Migration operations that are safe on a full production table.

``DropIndexSafely`` drops an index that no model declares any more (a foreign key's or a unique field's own
index, a LIKE twin) with ``DROP INDEX CONCURRENTLY`` on PostgreSQL, which does not block the table's readers
and writers while it waits; backwards it builds the index again the same way.

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
from django.db.migrations.operations.base import Operation


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


class DropIndexSafely(Operation):
    """Drop the database index ``name`` on ``table``, which the model state no longer has (pair it with the
    state change in ``SeparateDatabaseAndState``, or use it alone for an index Django made implicitly, such
    as a LIKE twin). ``columns`` is the index's column list as SQL, for the way back. ``postgres_only``: the
    index exists on PostgreSQL alone (an operator class), so SQLite has nothing to drop or rebuild."""

    reduces_to_sql = False
    reversible = True
    atomic = False

    def __init__(self, table: str, name: str, columns: str, postgres_only: bool = False):
        self.table, self.name, self.columns, self.postgres_only = table, name, columns, postgres_only

    def deconstruct(self):
        kwargs = {"table": self.table, "name": self.name, "columns": self.columns}
        if self.postgres_only:
            kwargs["postgres_only"] = True
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def _skip(self, schema_editor) -> bool:
        return self.postgres_only and schema_editor.connection.vendor != "postgresql"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._skip(schema_editor):
            return
        quote = schema_editor.quote_name
        concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {quote(self.name)}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._skip(schema_editor):
            return
        quote = schema_editor.quote_name
        concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
        schema_editor.execute(
            f"CREATE INDEX {concurrently}IF NOT EXISTS {quote(self.name)} ON {quote(self.table)} ({self.columns})"
        )

    def describe(self):
        return f"Drop index {self.name} on {self.table} (concurrently on PostgreSQL)"
