"""Read endpoints over an app's list selectors, made the same way for every listable model.

A :class:`ListSpec` names the list selector (``<app>/selectors/lists.py``: the same scope, permission and
FilterSet as the admin's changelist), the columns (each described in the schema) and how a row's changes since
a time are found. :func:`add_list_endpoints` adds, to an app's staff router:

* ``GET /<key>/`` - a page of the list, newest first, by cursor; the FilterSet's parameters (the changelist's
  query string) and ``q`` (the admin's search);
* ``GET /<key>/{id}/`` - one row the user reaches, else 404 (another county's row is "not found");
  ``?reveal=true`` gives the personal numbers in full, with the reveal permission only, logged
  (``PersonalData.reveal``);
* ``GET /<key>/changes/?since=…`` - the rows (still in reach, filtered alike) changed since a time: history
  records (django-simple-history) or the row's own timestamps - a province platform's nightly pull. Only for a
  model that records when its rows change (history or timestamps); the small ones that do not (events, fairs,
  minimum wages…) are pulled whole from the list;
* ``GET /<key>/deletions/?since=…`` - the ids of the rows deleted since a time, from the tombstones
  (``api.models.Deletion``) scoped by the region and station each row had when it was deleted: another
  county's deletions never appear.

Personal numbers are masked (``unionhub.personal.mask_field``) unless revealed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from pydantic import create_model

from api.models import Deletion
from api.views.pagination import NOT_FILTERS, paginate
from api.views.problems import Problem
from api.views.security import StaffToken
from api.views.text import zh
from unionhub.lists import require_view
from unionhub.personal import PERSONAL_FIELDS, mask_field, personal_data
from unionhub.scoping import scope_queryset

STAFF_AUTH = StaffToken()
SINCE_MAX_DAYS = 400


@dataclass(frozen=True)
class Col:
    """One column: its name in the JSON, its type, its description (an English msgid, Chinese in the schema)
    and how it is read (an attribute path with ``__``, default the name; or a callable)."""

    name: str
    type: Any
    description: Any
    source: str | Callable | None = None

    def read(self, obj):
        if callable(self.source):
            return self.source(obj)
        value = obj
        for part in (self.source or self.name).split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value


@dataclass(frozen=True)
class ListSpec:
    key: str  # the URL segment and the cursor's list name: "members"
    model: type
    select: Callable[..., QuerySet]  # the list selector: (user=, filters=, search=) -> QuerySet
    columns: list[Col]
    changed_since: Callable[[QuerySet, dt.datetime], QuerySet] | None = None
    related: tuple[str, ...] = field(default=())
    # Filters a single row and the changes are read with when not given (the review queue shows pending
    # applications by default; one application or a nightly pull wants every status).
    every_row: dict = field(default_factory=dict)
    # The list's order (pagination.paginate): newest first by id, unless a large list's indexes serve another
    # one better (ids follow the order rows were imported in, county by county: a walk by id finds a county's
    # newest rows only after skipping every county imported after it).
    order: tuple[str, ...] = ("-pk",)

    @property
    def tracks_changes(self) -> bool:
        """Whether the model can tell which rows changed since a time: its own timestamps, or history."""
        return self.changed_since is not None or hasattr(self.model, "history")


def history_changed_since(queryset: QuerySet, since: dt.datetime) -> QuerySet:
    """Rows with a history record (a change, by anyone, through any path that records history) since then."""
    history = queryset.model.history.model
    return queryset.filter(pk__in=history.objects.filter(history_date__gte=since).values("id"))


def fields_changed_since(*names: str) -> Callable[[QuerySet, dt.datetime], QuerySet]:
    def changed(queryset: QuerySet, since: dt.datetime) -> QuerySet:
        condition = Q()
        for name in names:
            condition |= Q(**{f"{name}__gte": since})
        return queryset.filter(condition)

    return changed


def _schema(spec: ListSpec):
    fields = {col.name: (col.type | None, Field(None, description=zh(col.description))) for col in spec.columns}
    name = "".join(part.title() for part in spec.key.split("_"))
    row = create_model(f"{name}Row", **fields)
    page = create_model(
        f"{name}Page",
        results=(list[row], Field(..., description=zh(gettext_lazy("The rows of this page, newest first.")))),
        next_cursor=(
            str | None,
            Field(None, description=zh(gettext_lazy("Pass as ?cursor= for the next page; null on the last page."))),
        ),
    )
    return row, page


class DeletedRow(Schema):
    id: int = Field(..., description=zh(gettext_lazy("The id the deleted row had.")))
    deleted_at: dt.datetime = Field(..., description=zh(gettext_lazy("When it was deleted.")))


class DeletionPage(Schema):
    results: list[DeletedRow] = Field(..., description=zh(gettext_lazy("The rows deleted, oldest first.")))
    next_cursor: str | None = Field(
        None, description=zh(gettext_lazy("Pass as ?cursor= for the next page; null on the last page."))
    )


def _filters(request, defaults: dict) -> QueryDict:
    data = request.GET.copy()
    for name in (*NOT_FILTERS, "q", "since"):
        data.pop(name, None)
    for name, value in defaults.items():
        data.setdefault(name, value)
    return data


def _rows(spec: ListSpec, request, defaults: dict | None = None) -> QuerySet:
    filters = _filters(request, defaults or {})
    try:
        queryset = spec.select(user=request.user, filters=filters, search=request.GET.get("q", "")[:100])
    except ValidationError as exc:
        raise Problem(400, " ".join(exc.messages), code="bad-filter", errors={"filters": exc.messages}) from None
    return queryset.select_related(*spec.related) if spec.related else queryset


def serialize(spec: ListSpec, obj, revealed: dict | None = None) -> dict:
    row = {}
    for col in spec.columns:
        value = col.read(obj)
        if col.name in PERSONAL_FIELDS:
            value = revealed[col.name] if revealed and col.name in revealed else mask_field(col.name, value)
        elif value is not None and not isinstance(value, (int, float, bool, str, list, dict, dt.date)):
            value = str(value)
        row[col.name] = value
    return row


def _since(request) -> dt.datetime:
    raw = request.GET.get("since", "")
    since = parse_datetime(raw) if raw else None
    message = _("Give since as a date and time with its offset, such as 2026-12-01T00:00:00+08:00.")
    if since is None or since.tzinfo is None:
        raise Problem(400, message, errors={"since": [message]})
    if since < dt.datetime.now(dt.UTC) - dt.timedelta(days=SINCE_MAX_DAYS):
        message = _("since may be at most %(days)s days ago; read older rows from the list.") % {"days": SINCE_MAX_DAYS}
        raise Problem(400, message, errors={"since": [message]})
    return since


def add_list_endpoints(router: Router, spec: ListSpec) -> None:
    row_schema, page_schema = _schema(spec)
    title = zh(spec.model._meta.verbose_name_plural)
    filter_note = zh(
        gettext_lazy(
            "Takes the admin list's filter parameters (its query string) and q (the admin's search); an unknown "
            "or malformed filter is refused. Pages by cursor: limit (1-200, default 50) and cursor."
        )
    )

    def list_view(request):
        rows, cursor = paginate(_rows(spec, request), request, list_key=spec.key, order=spec.order)
        return {"results": [serialize(spec, obj) for obj in rows], "next_cursor": cursor}

    def changes_view(request):
        since = _since(request)
        queryset = _rows(spec, request, spec.every_row)
        queryset = (spec.changed_since or history_changed_since)(queryset, since)
        rows, cursor = paginate(queryset, request, list_key=f"{spec.key}:changes", order=("pk",))
        return {"results": [serialize(spec, obj) for obj in rows], "next_cursor": cursor}

    def deletions_view(request):
        since = _since(request)
        require_view(request.user, spec.model)
        tombstones = Deletion.objects.filter(model=spec.model._meta.label_lower, deleted_at__gte=since)
        rows, cursor = paginate(
            scope_queryset(tombstones, request.user), request, list_key=f"{spec.key}:deletions", order=("pk",)
        )
        return {"results": [{"id": row.object_id, "deleted_at": row.deleted_at} for row in rows], "next_cursor": cursor}

    def detail_view(request, id: int):
        try:
            queryset = spec.select(user=request.user, filters=spec.every_row or None)
        except ValidationError:
            queryset = spec.model.objects.none()
        if spec.related:
            queryset = queryset.select_related(*spec.related)
        obj = queryset.filter(pk=id).first()
        if obj is None:
            raise Problem(404, _("There is no such object, or it is outside your reach."))
        revealed = None
        if request.GET.get("reveal") in ("true", "1"):
            personal = personal_data(request)
            if not personal.may_reveal:
                raise Problem(403, _("Your account may not see personal numbers in full."))
            names = [col.name for col in spec.columns if col.name in PERSONAL_FIELDS]
            try:
                revealed = personal.reveal(obj, names) if names else {}
            except ValueError:  # the reveal log has no subject for this kind of row: nothing shown or logged
                raise Problem(
                    403,
                    _(
                        "Full numbers of this kind of record cannot be shown through the API: the reveal log does not "
                        "record them yet."
                    ),
                    code="reveal-not-logged",
                ) from None
        return serialize(spec, obj, revealed)

    base = f"/{spec.key}/"
    router.add_api_operation(
        base,
        ["GET"],
        list_view,
        response=page_schema,
        auth=STAFF_AUTH,
        summary=zh(gettext_lazy("List: %(model)s")) % {"model": title},
        description=zh(gettext_lazy("The rows your account reaches, as in the admin's list.")) + " " + filter_note,
        operation_id=f"{spec.key}_list",
        url_name=f"{spec.key}_list",
    )
    if spec.tracks_changes:
        router.add_api_operation(
            f"{base}changes/",
            ["GET"],
            changes_view,
            response=page_schema,
            auth=STAFF_AUTH,
            summary=zh(gettext_lazy("Changes since a time: %(model)s")) % {"model": title},
            description=zh(
                gettext_lazy(
                    "The rows your account reaches that changed since ?since= (a date and time with its offset, at "
                    "most 400 days ago), oldest first: for a platform pulling each county's data nightly. The rows "
                    "deleted since then are listed by …/deletions/."
                )
            )
            + " "
            + filter_note,
            operation_id=f"{spec.key}_changes",
            url_name=f"{spec.key}_changes",
        )
    router.add_api_operation(
        f"{base}deletions/",
        ["GET"],
        deletions_view,
        response=DeletionPage,
        auth=STAFF_AUTH,
        summary=zh(gettext_lazy("Deleted since a time: %(model)s")) % {"model": title},
        description=zh(
            gettext_lazy(
                "The ids of the rows deleted since ?since= (a date and time with its offset, at most 400 days "
                "ago), oldest first, among those your account reached when they were deleted (by the region and "
                "station each row had then). Pages by cursor: limit (1-200, default 50) and cursor."
            )
        ),
        operation_id=f"{spec.key}_deletions",
        url_name=f"{spec.key}_deletions",
    )
    router.add_api_operation(
        base + "{id}/",
        ["GET"],
        detail_view,
        response=row_schema,
        auth=STAFF_AUTH,
        summary=zh(gettext_lazy("One row: %(model)s")) % {"model": title},
        description=zh(
            gettext_lazy(
                "One row your account reaches (another county's is not found). ?reveal=true gives the personal "
                "numbers in full: only with the reveal permission, and logged."
            )
        ),
        operation_id=f"{spec.key}_detail",
        url_name=f"{spec.key}_detail",
    )
