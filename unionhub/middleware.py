"""Refuses a request whose path or query string holds a NUL character, with a plain 400.

PostgreSQL cannot store or compare a string with NUL in it and raises, so a ``?station=%00`` reaching a
query would be a 500. Form fields refuse NUL themselves (Django's ``ProhibitNullCharactersValidator``); this
covers the path and the query parameters that views read directly."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in _items(request.GET)):
            return HttpResponseBadRequest(_("The address contains characters that are not allowed."))
        return self.get_response(request)


def _items(query):
    for key, values in query.lists():
        for value in values:
            yield key, value
