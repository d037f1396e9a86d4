"""Admin search without personal numbers in URLs.

Django's admin search is a GET, so ``?q=<resident ID>`` lands in the browser history, the proxy's and
gunicorn's access logs and the ``Referer`` of the next page. For admins that search by ID or mobile number
(``PrivateSearchMixin``) the search box POSTs instead; the query is kept in the user's session under a short
random token for ``SEARCH_TOKEN_SECONDS``, and the list opens at ``?q_token=<token>``. Pagination, filters and
sorting carry the token, never the query. A token is opaque, expires, and means nothing in another session.
A plain ``?q=`` (an old bookmark) still works: it is turned into a token at once, by a redirect.

Underneath, the search is the core's identifier-aware search (``unionhub.search.identifier_search``: an ID,
mobile or card number typed any way is one indexed equality, other text a trigram or prefix match), the same
rule the list selectors and the background export apply; this module adds only how the term travels.
"""

from __future__ import annotations

import secrets
import time

from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR
from django.http import HttpResponseRedirect
from django.middleware.csrf import get_token

from unionhub.admin.scale import ScaleChangeList
from unionhub.search import SEARCH_TERM_MAX, Recogniser, identifier_search

TOKEN_VAR = "q_token"
SEARCH_POST_FLAG = "_uh_search"
SESSION_KEY = "uh_search_tokens"
SEARCH_TOKEN_SECONDS = 30 * 60
MAX_TOKENS = 20


def search_token_store(request, query: str) -> str:
    """Keep ``query`` in the session and return its token (the oldest tokens beyond ``MAX_TOKENS`` go)."""
    now = time.time()
    tokens = {
        key: value
        for key, value in request.session.get(SESSION_KEY, {}).items()
        if now - value[1] < SEARCH_TOKEN_SECONDS
    }
    token = secrets.token_urlsafe(9)
    tokens[token] = (query, now)
    request.session[SESSION_KEY] = dict(sorted(tokens.items(), key=lambda item: item[1][1])[-MAX_TOKENS:])
    return token


def search_token_query(request) -> str:
    """The query a token stands for, or "" if it is unknown or expired."""
    token = request.GET.get(TOKEN_VAR, "")
    entry = request.session.get(SESSION_KEY, {}).get(token) if token else None
    if not entry or time.time() - entry[1] >= SEARCH_TOKEN_SECONDS:
        return ""
    return entry[0]


# --- the changelist and the admin mixin -------------------------------------------------------------------


class PrivateSearchChangeList(ScaleChangeList):
    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.query = search_token_query(request)  # shown in the search box (the page body, not the URL)
        self.csrf_token = get_token(request)
        self.private_search = True
        self.search_placeholder = getattr(self.model_admin, "search_placeholder", "")

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        lookup_params.pop(TOKEN_VAR, None)
        return lookup_params


class PrivateSearchMixin:
    """Search by POST and session token, through indexes (see the module docstring). Put it before the admin
    base class.

    ``exact_search_fields``: (field, recogniser) pairs, tried in order; the first recogniser that returns a
    value decides the search (one indexed equality). ``text_search_fields``: the fields any other term is
    matched in. An admin that sets neither searches its ``search_fields`` as Django does; ``search_fields``
    also switches the search box on."""

    exact_search_fields: list[tuple[str, Recogniser]] = []
    text_search_fields: list[str] = []
    short_term_prefix_fields: list[str] | None = None  # default: the text fields
    # A caller's tail ("尾号1813": the last four of these fields) and an ID's first digits (the start of these):
    # see ``unionhub.search.number_condition``.
    tail_search_fields: list[str] = []
    prefix_search_fields: list[str] = []
    # Or the list selector's own search, ``(queryset, term) -> queryset`` (a staticmethod), which then decides.
    list_search = None
    # What the box takes, in the box (``search_help_text`` says more under it).
    search_placeholder = ""

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and SEARCH_POST_FLAG in request.POST:
            return self._search_redirect(request, request.POST.get(SEARCH_VAR, ""))
        if request.GET.get(SEARCH_VAR):
            return self._search_redirect(request, request.GET[SEARCH_VAR])
        return super().changelist_view(request, extra_context)

    def _search_redirect(self, request, query: str):
        params = request.GET.copy()
        for name in (SEARCH_VAR, TOKEN_VAR, PAGE_VAR):
            params.pop(name, None)
        query = query.strip()[:SEARCH_TERM_MAX]
        if query:
            params[TOKEN_VAR] = search_token_store(request, query)
        return HttpResponseRedirect(f"{request.path}?{params.urlencode()}" if params else request.path)

    def get_changelist(self, request, **kwargs):
        return PrivateSearchChangeList

    def get_search_results(self, request, queryset, search_term):
        # The term is the token's, from the session; ``search_term`` (a ``?q=``) was redirected away.
        term = search_token_query(request).strip()
        if term and self.list_search is not None:
            return self.list_search(queryset, term), False
        if not term or not (self.exact_search_fields or self.text_search_fields):
            return super().get_search_results(request, queryset, term)
        found = identifier_search(
            queryset,
            term,
            exact=self.exact_search_fields,
            text=self.text_search_fields,
            short_prefix=self.short_term_prefix_fields,
            tail=self.tail_search_fields,
            prefix=self.prefix_search_fields,
        )
        return found, False
