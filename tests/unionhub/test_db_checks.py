"""The database checks (unionhub/db/checks.py): the collation every index's text comparisons go through."""

import pytest
from django.core import checks
from django.db import connection

from unionhub.db.checks import collation_warnings, database_collation


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_ci_and_make_stack_create_compares_bytes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()")
        collate, ctype = cursor.fetchone()
    assert collate == "C"
    assert ctype == "C.UTF-8"  # upper() and pg_trgm still know Chinese characters' classes
    assert database_collation(databases=["default"]) == []
    # Text sorts by code point, as the names' own collation does.
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY['王', 'a', '张', 'B', '1', '李']) x")
        assert cursor.fetchone()[0] == sorted(["王", "a", "张", "B", "1", "李"])
        cursor.execute("SELECT upper('ａbc')")  # a full-width letter: the character classes are Unicode's
        assert cursor.fetchone()[0] == "ＡBC"


@pytest.mark.parametrize("collate", ["C.UTF-8", "zh_CN.UTF-8", "en_US.UTF-8"])
def test_any_other_collation_is_warned_of_with_the_way_to_make_it_right(collate):
    (warning,) = collation_warnings("default", collate)
    assert warning.level == checks.WARNING and warning.id == "unionhub.W001"
    assert collate in warning.msg
    assert "--lc-collate C" in warning.hint


@pytest.mark.parametrize("collate", ["C", "POSIX"])
def test_byte_order_is_not_warned_of(collate):
    assert collation_warnings("default", collate) == []


def test_migrate_and_check_database_run_it():
    assert database_collation in checks.registry.registry.get_checks()
    assert checks.Tags.database in database_collation.tags
