"""Who may see a personal number in full: one object per request (or per job, built from the job's user).

``personal_data(request_or_user)`` gives a :class:`PersonalData` built from the user. Pages, lists, inlines,
history, resources, exports, print pages, JSON and messages show numbers masked; the full value leaves only
through :meth:`PersonalData.reveal` (or, for a file, :meth:`PersonalData.export_logged`), which checks
``membership.reveal_personal_data`` and writes the reveal log. Nothing here is ever kept on a ModelAdmin, a
form class or any other object shared between requests: the object lives on the request it was made for.

The reveal log is a table of the membership app (``PersonalDataReveal``, scoped like the people in it); the
core cannot import an app, so membership hands its writer over in ``AppConfig.ready``
(:func:`set_reveal_log`). Until it has, a reveal fails closed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from unionhub.personal.numbers import PERSONAL_FIELDS, mask, mask_text

REVEAL_PERMISSION = "membership.reveal_personal_data"
_REQUEST_ATTRIBUTE = "_uh_personal_data"

RevealLog = Callable[..., Any]
_reveal_log: RevealLog | None = None


def set_reveal_log(writer: RevealLog) -> None:
    """``writer(user=, obj=, fields=, count=1, label=None, region_id=None)`` records one reveal or export."""
    global _reveal_log
    _reveal_log = writer


def can_reveal(user) -> bool:
    return bool(user is not None and getattr(user, "is_active", False) and user.has_perm(REVEAL_PERMISSION))


class PersonalData:
    """What one user may see of personal numbers."""

    __slots__ = ("user", "may_reveal")

    def __init__(self, user):
        self.user = user
        self.may_reveal = can_reveal(user)

    @staticmethod
    def mask(value: str | None, kind: str) -> str:
        return mask(value, kind)

    def text(self, value: str) -> str:
        """A value quoted back to this user (a message about a spreadsheet cell): any ID or mobile number in
        it masked unless the user may reveal them. A number shown in full here is not logged: the user holds
        the file it came from."""
        return str(value) if self.may_reveal else mask_text(str(value))

    def reveal(self, obj, fields: Iterable[str] | None = None) -> dict[str, str]:
        """The full values of ``obj``'s personal-number fields (all of them by default), logged. Raises
        PermissionDenied for a user without the reveal permission."""
        if not self.may_reveal:
            raise PermissionDenied
        names = [name for name in (fields or PERSONAL_FIELDS) if hasattr(obj, name)]
        _write_log(user=self.user, obj=obj, fields=names)
        return {name: getattr(obj, name) or "" for name in names}

    def export_logged(self, *, count: int, label: str | None = None, region_id: str | None = None) -> Any:
        """Log a file with ``count`` people's full numbers in it (an export, an error workbook)."""
        if not self.may_reveal:
            raise PermissionDenied
        return _write_log(
            user=self.user, obj=None, fields=list(PERSONAL_FIELDS), count=count, label=label, region_id=region_id
        )

    def masked_row(self, names: list[str], row: list) -> list:
        """An export row with the personal-number columns (by field name) masked."""
        return [
            mask(value, PERSONAL_FIELDS[name]) if name in PERSONAL_FIELDS else value
            for name, value in zip(names, row, strict=True)
        ]


def _write_log(**kwargs):
    if _reveal_log is None:
        raise ImproperlyConfigured("no reveal log: membership registers it in its AppConfig.ready")
    return _reveal_log(**kwargs)


def personal_data(request_or_user) -> PersonalData:
    """The request's :class:`PersonalData` (made once per request and kept on it), or one for a user."""
    user = getattr(request_or_user, "user", None)
    if user is None or not hasattr(request_or_user, "method"):
        return PersonalData(request_or_user)
    cached = getattr(request_or_user, _REQUEST_ATTRIBUTE, None)
    if cached is None or cached.user is not user:
        cached = PersonalData(user)
        setattr(request_or_user, _REQUEST_ATTRIBUTE, cached)
    return cached
