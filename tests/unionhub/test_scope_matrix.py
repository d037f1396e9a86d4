"""The permission matrix: every registered admin model against every persona.

Each model's case (tests/scope_cases.py) makes one row in 沁水县 (county A) and one in 阳城县 (county B).
A persona sees exactly the rows inside their reach; an out-of-scope change page behaves as a missing one;
a POST that would move a row out of scope writes nothing; exports and choices hold only in-scope rows."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from tests.admin_forms import change_form_data
from tests.factories import QINSHUI, YANGCHENG
from tests.personas import PERSONAS
from tests.scope_cases import CASES, load_app_cases
from unionhub.admin.base import ScopedAdminMixin, ScopedRelatedFieldListFilter
from unionhub.scoping import is_scoped_model, scope_queryset

load_app_cases()

# Admins that only superusers reach: no role is given any permission on them.
SUPERUSER_ONLY_APPS = {"auth", "axes", "django_celery_beat"}

CASE_IDS = [case.model._meta.label for case in CASES.values()]
SCOPED_ADMINS = [
    (model, ma) for model, ma in site._registry.items() if model._meta.app_label not in SUPERUSER_ONLY_APPS
]


def visible_to(obj, user) -> bool:
    return scope_queryset(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def expected_visible(persona, county, case) -> bool:
    if persona.sees_county(county):
        return True
    return persona.name == "dave" and case.station_scoped and county == QINSHUI


@pytest.fixture
def pair(people, request):
    case = request.param
    return case, case.make(QINSHUI, people), case.make(YANGCHENG, people)


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_every_registered_admin_is_scoped_and_has_a_matrix_case():
    for model, model_admin in SCOPED_ADMINS:
        assert isinstance(model_admin, ScopedAdminMixin), f"{model.__name__} admin is not scoped"
        assert is_scoped_model(model), f"{model.__name__} declares no scope"
        assert model in CASES, f"{model.__name__} has no case in the scoping matrix"


def test_superuser_only_admins_are_closed_to_every_role(people, client_for):
    for model, _ in site._registry.items():
        if model._meta.app_label not in SUPERUSER_ONLY_APPS:
            continue
        for name, user in people.items():
            if name == "root":
                continue
            response = client_for(user).get(changelist_url(model))
            assert response.status_code in (302, 403), (model, name)


@pytest.mark.parametrize("pair", list(CASES.values()), ids=CASE_IDS, indirect=True)
@pytest.mark.parametrize("persona", list(PERSONAS.values()), ids=list(PERSONAS))
def test_changelist_shows_only_rows_in_reach(pair, persona, people, client_for):
    case, a, b = pair
    user = people[persona.name]
    response = client_for(user).get(changelist_url(case.model))
    if not user.has_perm(f"{case.model._meta.app_label}.view_{case.model._meta.model_name}"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert (a.pk in shown) == expected_visible(persona, QINSHUI, case)
    assert (b.pk in shown) == expected_visible(persona, YANGCHENG, case)


@pytest.mark.parametrize("pair", list(CASES.values()), ids=CASE_IDS, indirect=True)
def test_an_out_of_scope_change_page_behaves_as_a_missing_one(pair, alice, client_for):
    case, _, b = pair
    client = client_for(alice)
    out_of_scope = client.get(change_url(b))
    missing_url = change_url(b).replace(f"/{b.pk}/", "/999999999/")
    missing = client.get(missing_url)
    assert out_of_scope.status_code == missing.status_code == 302
    assert out_of_scope["Location"] == missing["Location"]
    history = client.get(change_url(b).replace("/change/", "/history/"))
    assert history.status_code == 302


MOVABLE_CASES = [c for c in CASES.values() if c.move_field]


@pytest.mark.parametrize("pair", MOVABLE_CASES, ids=[c.model._meta.label for c in MOVABLE_CASES], indirect=True)
def test_a_post_moving_a_row_out_of_scope_writes_nothing(pair, alice, client_for):
    case, a, b = pair
    client = client_for(alice)
    before = case.model._default_manager.filter(pk=a.pk).values().get()
    data = change_form_data(client, change_url(a))
    data[case.move_field] = [str(getattr(b, f"{case.move_field}_id"))]
    response = client.post(change_url(a), data)
    if alice.has_perm(f"{case.model._meta.app_label}.change_{case.model._meta.model_name}"):
        assert response.status_code == 200, "the form should come back with an error"
        assert response.context["adminform"].form.errors
    else:
        assert response.status_code == 403
    assert case.model._default_manager.filter(pk=a.pk).values().get() == before


EXPORT_CASES = [c for c in CASES.values() if hasattr(site._registry.get(c.model), "get_export_queryset")]


@pytest.mark.parametrize("pair", EXPORT_CASES, ids=[c.model._meta.label for c in EXPORT_CASES], indirect=True)
def test_exports_hold_only_rows_in_scope(pair, alice):
    case, a, b = pair
    model_admin = site._registry[case.model]
    request = RequestFactory().get(changelist_url(case.model))
    request.user = alice
    data = model_admin.get_data_for_export(request, model_admin.get_export_queryset(request))
    text = data.export("csv")
    assert case.label(a) in text
    assert case.label(b) not in text


@pytest.mark.parametrize("model,model_admin", SCOPED_ADMINS, ids=[m._meta.label for m, _ in SCOPED_ADMINS])
def test_choices_and_filters_offer_only_rows_in_scope(model, model_admin, people, alice):
    """Every foreign-key, many-to-many and list-filter choice to a scoped model is scoped."""
    case = CASES[model]
    case.make(QINSHUI, people), case.make(YANGCHENG, people)
    request = RequestFactory().get("/")
    request.user = alice
    form = model_admin.get_form(request)()
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and is_scoped_model(queryset.model):
            for obj in queryset:
                assert visible_to(obj, alice), f"{model.__name__}.{name} offers {obj!r}"
    for item in model_admin.get_list_filter(request):
        name = item[0] if isinstance(item, tuple) else item
        if not isinstance(name, str) or "__" in name:
            continue
        field = model._meta.get_field(name)
        if field.is_relation and is_scoped_model(field.related_model):
            assert isinstance(item, tuple) and item[1] is ScopedRelatedFieldListFilter, (model, name)
            list_filter = ScopedRelatedFieldListFilter(field, request, {}, model, model_admin, name)
            allowed = set(
                scope_queryset(field.related_model._default_manager.all(), alice).values_list("pk", flat=True)
            )
            assert {pk for pk, _ in list_filter.lookup_choices} <= allowed


@pytest.mark.parametrize("model,model_admin", SCOPED_ADMINS, ids=[m._meta.label for m, _ in SCOPED_ADMINS])
def test_autocomplete_offers_only_rows_in_scope(model, model_admin, people, alice, client_for):
    case = CASES[model]
    case.make(QINSHUI, people), case.make(YANGCHENG, people)
    client = client_for(alice)
    for field_name in model_admin.autocomplete_fields:
        field = model._meta.get_field(field_name)
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name},
        )
        if response.status_code == 403:
            continue  # alice may not edit this model; nothing offered
        assert response.status_code == 200
        ids = [item["id"] for item in response.json()["results"]]
        related = field.related_model._default_manager.filter(pk__in=ids)
        assert all(visible_to(obj, alice) for obj in related), (model, field_name)


def test_a_station_with_two_managers_counts_once_in_a_scoped_aggregate(people, alice):
    """Scoping by managed stations is a subquery, not a join: aggregates are not inflated."""
    from django.db.models import Count

    from stations.models import Station
    from tests.stations.factories import StationFactory, ensure_catalogues

    ensure_catalogues()
    StationFactory(managers=[people["dave"], alice])
    scoped = scope_queryset(Station.objects.all(), alice)
    assert scoped.count() == 1
    assert list(scoped.values("kind").annotate(n=Count("pk"))) == [{"kind": "rest", "n": 1}]
