"""The member register and the review queue as lists (``unionhub.lists``): scope and permission once, then the
FilterSet (``membership.filtersets``), then the identifier-aware search (``unionhub.search``).

The admin's changelists read ``members_reached`` / ``applications_reached`` as their queryset and search with
the same fields (``MEMBER_EXACT_SEARCH``…); the background export reads ``member_list``. Neither adds a join or
an ordering: the changelist's SQL is what it was, and the export orders as it streams.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from membership.filtersets import ApplicationFilterSet, MemberFilterSet
from membership.models import Member, MembershipApplication
from membership.models.applications import REFERENCE_ALPHABET, REFERENCE_LENGTH, reference_normalize
from unionhub.lists import Filters, filtered, require_view
from unionhub.models.regions import Region, RegionLevel
from unionhub.personal import as_card_number, as_mobile, as_resident_id
from unionhub.scoping import scope_queryset
from unionhub.search import identifier_search


def as_reference(term: str) -> str | None:
    """An application's reference number, typed the way a worker reads it out (any case, spaces, full width)."""
    code = reference_normalize(term)
    ok = len(code) == REFERENCE_LENGTH and set(code) <= set(REFERENCE_ALPHABET)
    return code if ok else None


# Which field a typed term belongs to (an ID, card or mobile number: one indexed equality), and where other text
# is looked for (the name: trigrams on PostgreSQL). The admin's private search names the same lists.
MEMBER_EXACT_SEARCH = [("resident_id", as_resident_id), ("card_number", as_card_number), ("mobile", as_mobile)]
MEMBER_TEXT_SEARCH = ["name"]
# What a caller reads out (unionhub.search.number_condition): four digits are the end of a mobile or of an ID -
# both asked, each through its RIGHT(field, 4) index (the register's begin with the county, so the tail is asked
# county by county) - and 6 to 17 digits the start of an ID.
MEMBER_TAIL_SEARCH = ["mobile", "resident_id"]
MEMBER_PREFIX_SEARCH = ["resident_id"]
APPLICATION_EXACT_SEARCH = [("resident_id", as_resident_id), ("mobile", as_mobile), ("reference", as_reference)]
APPLICATION_TEXT_SEARCH = ["name"]
APPLICATION_TAIL_SEARCH = ["mobile", "resident_id"]
APPLICATION_PREFIX_SEARCH = ["resident_id"]

# What the search box takes, said in it (the placeholder) and under it (the help text).
MEMBER_SEARCH_PLACEHOLDER = _("Name, mobile or its last 4 digits, ID number, its first digits or last 4, card number")
APPLICATION_SEARCH_PLACEHOLDER = _(
    "Name, mobile or its last 4 digits, ID number, its first digits or last 4, reference number"
)
NUMBER_SEARCH_HELP = _(
    "4 digits (or 尾号1813) find mobiles and ID numbers ending in them - both are searched; 6 to 17 digits find ID "
    "numbers starting with them; part of a name is enough. What you search for stays out of the address bar and "
    "the logs."
)


# --- members ------------------------------------------------------------------------------------------------


def members_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    """The members the user may see (the scoped base of every member list, the admin's included)."""
    return scope_queryset(Member.objects.all() if queryset is None else queryset, user)


def member_search(queryset: QuerySet, term: str) -> QuerySet:
    return identifier_search(
        queryset,
        term,
        exact=MEMBER_EXACT_SEARCH,
        text=MEMBER_TEXT_SEARCH,
        tail=MEMBER_TAIL_SEARCH,
        tail_within=("county", Region.objects.filter(level=RegionLevel.COUNTY).values("code")),
        prefix=MEMBER_PREFIX_SEARCH,
    )


def member_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    """The member list as the user may see it, filtered (``MemberFilterSet``: the changelist's parameters) and
    searched. ``PermissionDenied`` for a user who may not see members; ``ValidationError`` for a malformed
    filter. Unordered: the caller orders (the export by key, as it streams)."""
    require_view(user, Member)
    queryset = filtered(MemberFilterSet, members_reached(user), filters)
    return member_search(queryset, search)


# --- applications -------------------------------------------------------------------------------------------


def applications_reached(user, queryset: QuerySet | None = None) -> QuerySet:
    """The applications the user may see (their county's queue; a city's counties below it)."""
    return scope_queryset(MembershipApplication.objects.all() if queryset is None else queryset, user)


def application_search(queryset: QuerySet, term: str) -> QuerySet:
    return identifier_search(
        queryset,
        term,
        exact=APPLICATION_EXACT_SEARCH,
        text=APPLICATION_TEXT_SEARCH,
        tail=APPLICATION_TAIL_SEARCH,
        prefix=APPLICATION_PREFIX_SEARCH,
    )


def application_list(*, user, filters: Filters = None, search: str = "") -> QuerySet:
    """The review queue as the user may see it: pending applications unless ``filters`` ask for a status (or
    ``status=all``), filtered by ``ApplicationFilterSet`` and searched by ID, mobile (or their last four, or an
    ID's first digits), reference or name."""
    require_view(user, MembershipApplication)
    queryset = filtered(ApplicationFilterSet, applications_reached(user), filters)
    return application_search(queryset, search)
