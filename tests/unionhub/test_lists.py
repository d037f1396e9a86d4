"""``unionhub.lists.filtered``: a list's FilterSet narrowed to the filters a query string gives reads the same rows
(the same SQL) as the whole FilterSet, for every list's FilterSet and each of its filters; bad input is still
refused; the narrowed class is kept per set of names and holds nothing of a request."""

from __future__ import annotations

import datetime as dt
import importlib
import sys

import pytest
from django.core.exceptions import EmptyResultSet, ValidationError
from django.http import QueryDict
from django.utils import timezone

from unionhub.lists import ListFilterSet, _narrowed, filtered

APPS = ("membership", "casework", "stations", "employment", "outreach", "hardship")
NOW = timezone.make_aware(dt.datetime(2026, 3, 16, 10, 30))


def _filtersets() -> list[type[ListFilterSet]]:
    for app in APPS:
        importlib.import_module(f"{app}.filtersets")
    found, todo = [], list(ListFilterSet.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if getattr(sys.modules[cls.__module__], cls.__name__, None) is cls:  # declared, not one narrowed
            found.append(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


FILTERSETS = _filtersets()


def _values(cls: type[ListFilterSet]) -> list[dict[str, str]]:
    """No filter; the area; the date hierarchy's year; each filter with fixed choices at each choice."""
    cases: list[dict[str, str]] = [{}]
    if "area" in cls.base_filters:
        cases += [{"area": "14"}, {"area": "1405"}, {"area": "140521"}]
    if cls.date_hierarchy:
        cases += [{f"{cls.date_hierarchy}__year": "2020"}, {f"{cls.date_hierarchy}__year": "2020", "o": "1"}]
    for name, spec in cls.base_filters.items():
        choices = spec.extra.get("choices")
        if isinstance(choices, (list, tuple)):
            cases += [{name: str(value)} for value, _label in choices if value not in ("", None)]
    return cases


def _kwargs(cls) -> dict:
    return {"user": None} if "user" in cls.__init__.__code__.co_varnames else {}


def _sql(queryset) -> tuple:
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (``whose`` without a user)
        return ("no rows",)


def test_every_list_filterset_is_found():
    names = {cls.__name__ for cls in FILTERSETS}
    assert {"MemberFilterSet", "ApplicationFilterSet", "RequestFilterSet", "HouseholdFilterSet"} <= names
    assert len(FILTERSETS) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize("cls", FILTERSETS, ids=lambda cls: cls.__name__)
def test_narrowed_reads_the_same_rows_as_the_whole_filterset(cls, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # filters that read the clock ("overdue") read one time
    queryset = cls._meta.model._default_manager.all()
    for values in _values(cls):
        data = QueryDict(mutable=True)
        data.update(values)
        whole = cls(data, queryset=queryset, **_kwargs(cls))
        assert whole.is_valid(), (values, whole.errors)
        assert _sql(filtered(cls, queryset, data, **_kwargs(cls))) == _sql(whole.qs), values


def test_the_queue_still_opens_on_pending_applications():
    from membership.choices import ApplicationStatus
    from membership.filtersets import ApplicationFilterSet
    from membership.models import MembershipApplication

    sql, params = _sql(filtered(ApplicationFilterSet, MembershipApplication.objects.all(), None))
    assert "status" in sql and ApplicationStatus.PENDING in params


@pytest.mark.parametrize(
    "values, message",
    [({"area": "nowhere"}, "area"), ({"nonsense": "1"}, "nonsense"), ({"join_date__year": "twenty"}, "join_date")],
)
def test_bad_input_is_still_refused(values, message):
    from membership.filtersets import MemberFilterSet
    from membership.models import Member

    with pytest.raises(ValidationError) as refused:
        filtered(MemberFilterSet, Member.objects.all(), values)
    assert message in " ".join(refused.value.messages)


def test_the_narrowed_class_is_kept_per_set_of_names_and_leaves_the_filterset_alone():
    from membership.filtersets import MemberFilterSet

    whole = dict(MemberFilterSet.base_filters)
    narrowed = _narrowed(MemberFilterSet, frozenset({"area", "join_date__year"}))
    assert set(narrowed.base_filters) == {"area", "join_date__year"}
    assert issubclass(narrowed, MemberFilterSet) and narrowed.__name__ == "MemberFilterSet"
    assert _narrowed(MemberFilterSet, frozenset({"join_date__year", "area"})) is narrowed
    assert _narrowed(MemberFilterSet, frozenset()) is not narrowed
    assert MemberFilterSet.base_filters == whole and len(whole) > 2


@pytest.mark.django_db
def test_nothing_of_a_request_is_kept_on_the_shared_class(django_user_model):
    from casework.filtersets import RequestFilterSet
    from casework.models import WorkerRequest

    user = django_user_model.objects.create_user("handler", password="x")
    filtered(RequestFilterSet, WorkerRequest.objects.all(), {"mine": "me"}, user=user)
    narrowed = _narrowed(RequestFilterSet, frozenset({"mine"}))
    assert "user" not in vars(narrowed) and "user" not in vars(RequestFilterSet)
