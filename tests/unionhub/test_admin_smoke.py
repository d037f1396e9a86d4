"""Every registered admin opens for every role that may see it: changelist, search, add and change."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import QINSHUI
from tests.personas import PERSONAS
from tests.scope_cases import CASES, load_app_cases

load_app_cases()

ADMINS = [model for model in site._registry if model in CASES]


def admin_allows_adding(model, user) -> bool:
    """Computed records (subsidy allocations, workers' ratings) have no add page, even for superusers."""
    request = RequestFactory().get("/")
    request.user = user
    return site._registry[model].has_add_permission(request)


def perm(user, action, model):
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


@pytest.mark.parametrize("model", ADMINS, ids=[m._meta.label for m in ADMINS])
@pytest.mark.parametrize("persona", list(PERSONAS.values()), ids=list(PERSONAS))
def test_admin_pages_open_for_each_role_that_may_see_them(model, persona, people, client_for):
    user = people[persona.name]
    if not perm(user, "view", model):
        return  # the matrix test proves these get 403
    client = client_for(user)
    info = model._meta.app_label, model._meta.model_name
    obj = CASES[model].make(QINSHUI, people)
    assert client.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200
    assert client.get(reverse("admin:%s_%s_changelist" % info), {"q": "沁水"}, follow=True).status_code == 200
    if perm(user, "add", model) and admin_allows_adding(model, user):
        assert client.get(reverse("admin:%s_%s_add" % info)).status_code == 200
    response = client.get(reverse("admin:%s_%s_change" % info, args=[obj.pk]))
    visible = persona.sees_county(QINSHUI) or (persona.name == "dave" and CASES[model].station_scoped)
    assert response.status_code == (200 if visible else 302)


def test_the_admin_index_is_in_chinese_and_titled_for_the_union(alice, client_for):
    response = client_for(alice).get(reverse("admin:index"))
    text = response.content.decode()
    assert "工会服务站管理系统" in text
    assert "站点管理" in text or "服务站" in text
    assert 'lang="zh-hans"' in text


def test_the_home_page_is_a_workbench_and_the_menu_is_grouped_by_task(alice, client_for):
    from tests.membership.factories import ApplicationFactory, union_in

    ApplicationFactory(union=union_in(QINSHUI))
    response = client_for(alice).get(reverse("admin:index"))
    text = response.content.decode()
    assert 'id="workbench"' in text and "等待审核的入会申请" in text
    names = [app["name"] for app in response.context["app_list"]]
    assert names[:3] == ["入会与会员", "诉求与调解", "站点与台账"], names


def test_the_station_manager_and_the_inspector_see_their_own_workbench(people, client_for):
    dave = client_for(people["dave"]).get(reverse("admin:index")).content.decode()
    assert "您的站点" in dave and "等待审核的入会申请" not in dave
    erin = client_for(people["erin"]).get(reverse("admin:index")).content.decode()
    assert "待评估的站点" in erin and "进行中的评估" in erin
