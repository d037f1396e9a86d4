"""The identifier-aware search: which field a typed term belongs to, and one indexed query for it.

Staff type a resident ID number, a mobile or a card number the way they have it: with spaces, full-width digits,
a lowercase x. The recognisers (``unionhub.personal``'s ``as_resident_id``, ``as_mobile``, ``as_card_number``: the
one normaliser, which the masking of personal numbers shares) say what a term is. A term one of the ``exact``
recognisers accepts is normalised exactly as the model stores it and
answered with one equality on an indexed column - not ``UPPER(col) = UPPER(term)`` or ``LIKE '%term%'`` over
every column, which no index serves. Any other term is matched inside the ``text`` fields: on PostgreSQL a
``pg_trgm`` GIN index serves ``ILIKE '%term%'`` for terms of three characters or more; a shorter term (a
two-character Chinese name) has no trigram, so it matches the start of the field through a
``varchar_pattern_ops`` index instead. SQLite matches anywhere, as Django does.

Lists without personal numbers (stations, activities, cases) search as Django's admin does (``text_search``):
every word (or quoted phrase) must be found in one of the fields.

This is the product's own rule, used by the list selectors (``<app>/selectors/lists.py``: the member list, the
review queue, the background export) and by the admin's private search (``unionhub.admin.search``), which only
adds how the term travels (POST and a session token, never a URL).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.lookups import Exact
from django.utils.text import smart_split, unescape_string_literal

from unionhub.db.indexes import Among, tail_of
from unionhub.personal.numbers import as_id_prefix, as_tail

TRIGRAM = 3  # pg_trgm's unit: a shorter term has no trigram to look up
SEARCH_TERM_MAX = 200

Recogniser = Callable[[str], "str | None"]


# --- the search -------------------------------------------------------------------------------------------


def identifier_search(
    queryset: QuerySet,
    term: str,
    *,
    exact: Sequence[tuple[str, Recogniser]] = (),
    text: Sequence[str] = (),
    short_prefix: Sequence[str] | None = None,
    tail: Sequence[str] = (),
    tail_within: tuple[str, QuerySet] | None = None,
    prefix: Sequence[str] = (),
) -> QuerySet:
    """``queryset`` narrowed to the rows ``term`` finds (see the module); an empty term narrows nothing.

    ``exact``: (field, recogniser) pairs, tried in order; the first recogniser that returns a value decides the
    search (one indexed equality). ``text``: the fields any other term is matched in (none: such a term finds
    nothing). ``short_prefix``: the fields a term shorter than a trigram matches the start of on PostgreSQL
    (default: the text fields). ``tail``, ``tail_within`` and ``prefix``: see ``number_condition``. Adds no join and no
    ordering: the caller's query keeps its shape."""
    term = (term or "").strip()[:SEARCH_TERM_MAX]
    if not term:
        return queryset
    condition = number_condition(term, exact=exact, tail=tail, tail_within=tail_within, prefix=prefix)
    if condition is not None:
        return queryset.filter(condition)
    if not text:
        return queryset.none()
    postgres = connections[queryset.db].vendor == "postgresql"
    if postgres and len(term) < TRIGRAM:
        fields = short_prefix or text
        condition = reduce(or_, (Q(**{f"{field}__startswith": term}) for field in fields))
    else:
        condition = reduce(or_, (Q(**{f"{field}__icontains": term}) for field in text))
    return queryset.filter(condition)


def number_condition(
    term: str,
    *,
    exact: Sequence[tuple[str, Recogniser]] = (),
    tail: Sequence[str] = (),
    tail_within: tuple[str, QuerySet] | None = None,
    prefix: Sequence[str] = (),
) -> Q | None:
    """The condition for a term that is a number, or None for any other term.

    ``exact`` first (a whole ID, mobile, card or reference number: one indexed equality); then a caller's tail
    ("尾号1813", "1813", "123X") against the last four characters of every ``tail`` field - an ID tail and a
    mobile tail look alike, so both are asked, each through its ``tail_index`` (``RIGHT(field, 4)``). Where
    those indexes begin with a column (the register's county), ``tail_within`` is that column and a query for
    its values (the counties), and the tail is asked within each value (``Among``). Then the first 6-17
    digits of an ID against the start of every ``prefix`` field, as a range on the field's btree
    (``>= '140521199'`` and ``< '14052119:'``, which on the C collation is exactly the prefix; the LIKE keeps
    it exact on any other)."""
    term = (term or "").strip()[:SEARCH_TERM_MAX]
    for field, recognise in exact:
        value = recognise(term)
        if value is not None:
            return Q(**{field: value})
    if tail and (value := as_tail(term)) is not None:
        condition = reduce(or_, (Q(Exact(tail_of(field), value)) for field in tail))
        return condition if tail_within is None else Q(Among(*tail_within)) & condition
    if prefix and (value := as_id_prefix(term)) is not None:
        upper = value[:-1] + chr(ord(value[-1]) + 1)
        return reduce(
            or_,
            (Q(**{f"{field}__gte": value, f"{field}__lt": upper, f"{field}__startswith": value}) for field in prefix),
        )
    return None


def text_search(queryset: QuerySet, term: str, fields: Sequence[str]) -> QuerySet:
    """Django's admin search (``ModelAdmin.get_search_results`` over plain ``search_fields``): each word or quoted
    phrase of ``term`` is matched case-insensitively inside one of ``fields``, and every word must match. A field
    across a to-many relation (a case's parties) would repeat rows: the match is then asked as ``pk IN (…)``."""
    term = (term or "").strip()[:SEARCH_TERM_MAX]
    if not term or not fields:
        return queryset
    conditions = []
    for bit in smart_split(term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        conditions.append(reduce(or_, (Q(**{f"{field}__icontains": bit}) for field in fields)))
    condition = reduce(lambda a, b: a & b, conditions)
    if any(_spawns_duplicates(queryset.model, field) for field in fields):
        return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


def _spawns_duplicates(model, path: str) -> bool:
    """Whether following ``path`` crosses a to-many relation (which repeats the row once per related row)."""
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup (``__exact``), not a field: the path ends here
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False
