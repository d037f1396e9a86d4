"""Which database a request reads from (``unionhub.db.router``), and the browser's read-your-writes cookie.

Each request gets its own routing state for its whole life (the view, the template, a streamed export's
body). A ``GET`` or ``HEAD`` of a list, report, export or API view (:func:`reads_from_replica`) may read from
the replica; any other request, and every request of a browser that wrote within
``DATABASE_REPLICA_STICKY_SECONDS`` (:data:`unionhub.db.router.STICKY_COOKIE`), reads from the primary. A
request that wrote sets that cookie, so the next pages show what was just saved even while the replica is a
second behind. Without a replica it does nothing."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from django.conf import settings

from unionhub.db.router import STICKY_COOKIE, Reads, replica_alias, routing

# The admin views that only read: changelists, exports, figures and reports (by their URL names' ending).
READ_VIEW_SUFFIXES = ("_changelist", "_export", "_figures", "_utilisation", "_coverage", "_notice")
READ_PAGES = frozenset({"dashboard"})
READ_NAMESPACES = frozenset({"api"})  # the JSON API's GETs: its lists, rows and change feeds


def reads_from_replica(request) -> bool:
    """Whether this request is a read the replica may serve (its view resolved)."""
    match = getattr(request, "resolver_match", None)
    if request.method not in {"GET", "HEAD"} or match is None:
        return False
    if READ_NAMESPACES.intersection(match.namespaces) or match.view_name in READ_PAGES:
        return True
    return "admin" in match.namespaces and (match.url_name or "").endswith(READ_VIEW_SUFFIXES)


def wrote_recently(request) -> bool:
    try:
        return int(request.COOKIES.get(STICKY_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if replica_alias() is None:
            return self.get_response(request)
        state = Reads()
        request._replica_reads = state
        with routing(state):
            response = self.get_response(request)
        # A streamed export's rows are read while its body is sent, after this returns.
        if response.streaming and not response.is_async:
            response.streaming_content = _within(state, response.streaming_content)
        if state.wrote:
            sticky = settings.DATABASE_REPLICA_STICKY_SECONDS
            response.set_cookie(
                STICKY_COOKIE,
                str(int(time.time()) + sticky),
                max_age=sticky,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = getattr(request, "_replica_reads", None)
        if state is not None and not state.wrote:
            state.replica = reads_from_replica(request) and not wrote_recently(request)
        return None


def _within(state: Reads, content: Iterable[bytes]) -> Iterator[bytes]:
    """The streamed body, each chunk produced under the request's routing state."""
    iterator = iter(content)
    while True:
        with routing(state):
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk
