"""HTTP helpers every app uses: the client's address (login throttling and every rate limit), rate limits
(counted by ``unionhub.ratelimits``) and the page sent back over one, and file download responses."""

from __future__ import annotations

import ipaddress
from typing import BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from unionhub.ratelimits import Limit, over
from unionhub.scoping import scope_queryset
from unionhub.spreadsheets.writing import XLSX_TYPE


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or - only behind ``TRUSTED_PROXY_COUNT`` proxies - the address
    the outermost trusted proxy saw. IPv6 addresses count per /64, as one phone's addresses vary within it."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def over_limit(request, *, group: str, rate: str, value: str | None = None, count: bool = True) -> int | None:
    """Count one attempt against ``group`` for ``value`` (the client's address by default). Returns None
    while within ``rate``, else the seconds until the window ends. The value is hashed in the cache key,
    so ID numbers are never stored in the cache.

    ``count=False`` only asks whether the limit is reached, counting nothing: a page that limits what
    succeeds (accepted filings, not a form sent back with a mistake) asks first and counts after success."""
    return over_limits(request, (group, rate, value, count))


def over_limits(request, *limits: tuple[str, str, str | None, bool]) -> int | None:
    """``over_limit`` for several limits at once, each ``(group, rate, value, count)``, in one round trip to
    the cache: the longest wait among those over their rate, else None."""
    address = None
    counted = []
    for group, rate, value, count in limits:
        if value is None:
            address = address or client_ip(request)
        counted.append(Limit(group, rate, address if value is None else value, count))
    return over(counted)


def limited_response(request, template: str, context: dict, seconds: int, message=None) -> HttpResponse:
    """A public form sent back over its rate limit: ``template`` with how long to wait (``limited_message``,
    ``message`` with ``%(minutes)s`` or the default), 429 with ``Retry-After``."""
    message = message or _(
        "Too many attempts from this network. Please try again in %(minutes)s minutes, or call 12351."
    )
    context["limited_message"] = message % {"minutes": max(1, round(seconds / 60))}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def axes_client_ip(request) -> str:
    """django-axes' hook (``AXES_CLIENT_IP_CALLABLE``): login throttling counts the same address."""
    return client_ip(request)


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''…``: Chinese file names kept (RFC 6266)."""
    ascii_name = filename.encode("ascii", "ignore").decode().strip(" -") or "download"
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def file_response(
    content: bytes | BinaryIO, filename: str, *, content_type: str = XLSX_TYPE, inline: bool = False
) -> HttpResponse:
    """A download of ``content`` named ``filename`` (Chinese names kept, RFC 6266 ``filename*``). ``content``
    is bytes, or an open binary file, which is streamed in blocks and closed (a large export)."""
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


def scoped_file(request, queryset, pk, *, permission: str, file_field: str = "file"):
    """(the object ``pk`` of ``queryset`` as ``request.user``'s scope reaches it, its stored file's bytes) for a
    staff download: 403 without ``permission`` (checked before the lookup), 404 when the object is out of scope,
    missing, or its file is gone from storage - so out of scope and missing look alike."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    if not request.user.has_perm(permission):
        raise PermissionDenied
    obj = scope_queryset(queryset, request.user).filter(pk=pk).first()
    stored = getattr(obj, file_field, None) if obj is not None else None
    if not stored:
        raise Http404
    try:
        with stored.open("rb") as handle:
            return obj, handle.read()
    except FileNotFoundError:
        raise Http404 from None


def private_file_response(content: bytes, filename: str, *, content_type: str, inline: bool = False) -> HttpResponse:
    """``file_response`` for a person's uploaded file: never sniffed into another type, never cached."""
    response = file_response(content, filename, content_type=content_type, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
