"""The migration operations for full production tables (unionhub.db.operations)."""

import pytest
from django.db import connection

from membership.models import Member
from unionhub.db.operations import DropIndexSafely


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


@pytest.fixture
def scratch_table(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE scratch_drop (id integer PRIMARY KEY, code varchar(20))")
        cursor.execute("CREATE INDEX scratch_drop_code ON scratch_drop (code)")
    yield "scratch_drop"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE scratch_drop")


def test_drop_index_safely_drops_and_builds_again(scratch_table):
    operation = DropIndexSafely(scratch_table, "scratch_drop_code", '"code"')
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("unionhub", editor, None, None)
    assert "scratch_drop_code" not in _indexes(scratch_table)
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("unionhub", editor, None, None)  # already gone: nothing to do
        operation.database_backwards("unionhub", editor, None, None)
    assert "scratch_drop_code" in _indexes(scratch_table)


def test_a_postgres_only_index_is_left_alone_elsewhere(scratch_table):
    operation = DropIndexSafely(scratch_table, "scratch_drop_code", '"code"', postgres_only=True)
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("unionhub", editor, None, None)
    assert ("scratch_drop_code" in _indexes(scratch_table)) == (connection.vendor != "postgresql")


def test_the_member_table_has_no_index_that_no_query_uses(db):
    """Every index costs each roster import its writes: the union has its composite indexes, and the unique
    ID and card number are searched by exact match (no LIKE twins)."""
    names = _indexes(Member._meta.db_table)
    assert not [name for name in names if name.endswith("_like")]
    assert "membership_member_union_id_4e27e5c1" not in names
    assert "member_union_join_order" in names and "member_union_status" in names
    assert "membership_historicalmember_union_id_6d0a0b44" not in _indexes(Member.history.model._meta.db_table)


def _foreign_keys(table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {info["columns"][0] for info in constraints.values() if info["foreign_key"]}


def test_the_bulk_written_tables_check_only_the_foreign_keys_that_matter(db):
    """PostgreSQL checks a deferred foreign key once per row at commit: the member's union is checked, the
    history's user and the staging rows' import are not (written by the import itself)."""
    from membership.models import RosterRow

    assert "union_id" in _foreign_keys(Member._meta.db_table)
    assert "history_user_id" not in _foreign_keys(Member.history.model._meta.db_table)
    assert "roster_id" not in _foreign_keys(RosterRow._meta.db_table)
