"""An admin search that sends identifiers to their index and everything else to a trigram index.

Staff type a resident ID number, a mobile or a card number the way they have it: with spaces, full-width
digits, a lowercase x. ``IndexedSearchMixin`` recognises such a term, normalises it exactly as the model
stores it, and answers with one equality on an indexed column - not ``UPPER(col) = UPPER(term)`` or
``LIKE '%term%'`` over every column, which no index serves. Any other term is matched inside the text fields
(``text_search_fields``): on PostgreSQL a ``pg_trgm`` GIN index serves ``ILIKE '%term%'`` for terms of three
characters or more; a shorter term (a two-character Chinese name) has no trigram, so it matches the start of
the field through a ``varchar_pattern_ops`` index instead. SQLite matches anywhere, as Django does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Q

from unionhub.validators import halfwidth, normalize_mobile, normalize_resident_id

TRIGRAM = 3
_SPACES = re.compile(r"[\s\-]+")


def clean_term(term: str) -> str:
    """Full-width characters to half-width, spaces and dashes removed: how an identifier is stored."""
    return _SPACES.sub("", halfwidth(term or "")).strip()


def as_resident_id(term: str) -> str | None:
    """The stored form of a resident ID number typed any way; an 18-character term that fails the check is
    still looked up exactly (it simply finds nothing)."""
    code = clean_term(term).upper()
    if not re.fullmatch(r"\d{17}[\dX]", code):
        return None
    try:
        return normalize_resident_id(code)
    except ValidationError:
        return code


def as_mobile(term: str) -> str | None:
    try:
        return normalize_mobile(clean_term(term))
    except ValidationError:
        return None


def as_card_number(term: str) -> str | None:
    """A member card number: county code (6), year (4), sequence (6)."""
    code = clean_term(term)
    return code if re.fullmatch(r"\d{16}", code) else None


class IndexedSearchMixin:
    """``exact_search_fields``: (field, recogniser) pairs, tried in order; the first recogniser that returns a
    value decides the search (one indexed equality). ``text_search_fields``: the fields a free-text term is
    matched in (see the module docstring). ``search_fields`` only switches the search box on."""

    exact_search_fields: list[tuple[str, Callable[[str], str | None]]] = []
    text_search_fields: list[str] = []
    short_term_prefix_fields: list[str] | None = None  # default: the text fields

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "").strip()
        if not term or not (self.exact_search_fields or self.text_search_fields):
            return super().get_search_results(request, queryset, search_term)
        for field, recognise in self.exact_search_fields:
            value = recognise(term)
            if value is not None:
                return queryset.filter(**{field: value}), False
        if not self.text_search_fields:
            return queryset.none(), False
        postgres = connections[queryset.db].vendor == "postgresql"
        if postgres and len(term) < TRIGRAM:
            fields = self.short_term_prefix_fields or self.text_search_fields
            condition = reduce(or_, (Q(**{f"{field}__startswith": term}) for field in fields))
        else:
            condition = reduce(or_, (Q(**{f"{field}__icontains": term}) for field in self.text_search_fields))
        return queryset.filter(condition), False
