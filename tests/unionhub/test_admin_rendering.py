"""The admin's hot rendering paths made in Python (unionhub.admin.scale, unionhub.templatetags.unionhub_menu)
produce exactly the markup Django's templates and widgets would."""

from pathlib import Path

import django
import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.template import engines
from django.test import RequestFactory
from django.test.html import parse_html
from django.urls import reverse

from membership.models import Member
from tests.factories import QINSHUI
from tests.membership.factories import MemberFactory, union_in

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:membership_member_changelist")
DJANGO_APP_LIST = Path(django.__file__).parent / "contrib/admin/templates/admin/app_list.html"


@pytest.fixture
def member(regions):
    return MemberFactory(union=union_in(QINSHUI, name="沁水县<顺达>货运工会"), name="王&建国")


def test_the_row_checkbox_is_djangos_markup(member):
    ours = admin.site._registry[Member].action_checkbox(member)
    django_s = ModelAdmin.action_checkbox(admin.site._registry[Member], member)
    assert parse_html(ours) == parse_html(django_s)


def test_each_rows_link_is_what_reverse_gives(alice, client_for, member):
    response = client_for(alice).get(MEMBERS)
    cl = response.context["cl"]
    assert cl.url_for_result(member) == reverse("admin:membership_member_change", args=(member.pk,))
    assert reverse("admin:membership_member_change", args=(member.pk,)) in response.content.decode()


def test_a_key_reverse_would_encode_still_goes_through_reverse(alice, client_for, member):
    cl = client_for(alice).get(MEMBERS).context["cl"]
    member.pk = "中 文"  # not a member's real key: only how the URL is made is under test
    assert cl.url_for_result(member) == reverse("admin:membership_member_change", args=("中 文",))


@pytest.mark.parametrize("show_changelinks", [True, False])
@pytest.mark.parametrize("who", ["alice", "root"])
def test_the_menu_is_djangos_app_list_markup(who, show_changelinks, people, member):
    request = RequestFactory().get(MEMBERS)
    request.user = people[who]
    app_list = admin.site.get_app_list(request)
    assert app_list
    context = {"app_list": app_list, "show_changelinks": show_changelinks, "request": request}
    ours = engines["django"].get_template("admin/app_list.html").render(context, request)
    django_s = engines["django"].from_string(DJANGO_APP_LIST.read_text()).render(context, request)
    assert parse_html(ours) == parse_html(django_s)
    assert "current-model" in ours  # the member list is the page being shown


def test_an_empty_menu_says_so(rf):
    request = rf.get("/admin/")
    html = engines["django"].get_template("admin/app_list.html").render({"app_list": [], "request": request})
    assert "<p>" in html and "</p>" in html


def test_the_menu_is_kept_and_follows_a_change_of_permissions_at_once(alice, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from unionhub.adminsite import UnionAdminSite

    def menu():
        request = RequestFactory().get("/admin/")
        request.user = get_user_model().objects.get(pk=alice.pk)  # as a new request loads the user
        return {m["object_name"] for app in admin.site.get_app_list(request) for m in app["models"]}

    first = menu()
    built = []
    original = UnionAdminSite._build_app_dict
    monkeypatch.setattr(UnionAdminSite, "_build_app_dict", lambda *a, **k: built.append(1) or original(*a, **k))
    assert menu() == first and not built  # kept
    hidden = next(model for model in admin.site._registry if model.__name__ not in first)
    extra = Permission.objects.get(content_type__app_label=hidden._meta.app_label,
                                   codename=f"view_{hidden._meta.model_name}")  # fmt: skip
    alice.user_permissions.add(extra)
    assert hidden.__name__ in menu() and built  # built again for the new permissions


# Tables of a few rows per region and year, whose filters may read them whole.
SMALL_TABLES = {"stations.CoverageTarget"}
PROJECT_APPS = {"membership", "stations", "casework", "unionhub"}


def test_no_changelist_reads_its_whole_table_for_a_filter_or_its_order(root, client_for, member):
    """A list filter over a column's distinct values (Django's AllValuesFieldListFilter) or an order through a
    related row (a foreign key's Meta ordering) reads every row in reach for each page: none of the lists does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(root)
    found = []
    for model in admin.site._registry:
        if model._meta.label in SMALL_TABLES or model._meta.app_label not in PROJECT_APPS:
            continue  # third-party admins (login attempts, schedules) are small tables
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        table = f'"{model._meta.db_table}"'
        found += [(url, sql) for sql in (q["sql"] for q in queries.captured_queries)
                  if sql.startswith("SELECT DISTINCT") and f"FROM {table}" in sql]  # fmt: skip
    assert not found
