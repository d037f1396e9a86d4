"""The workers' requests list searches by what a caller gives - a mobile's last four ("尾号1813"), the whole
mobile, a name or employer fragment, the reference - privately (POST and a session token), with a hint."""

import pytest
from django.urls import reverse

from casework.selectors.lists import request_list
from tests.casework.factories import at, file_request

pytestmark = pytest.mark.django_db

REQUESTS = reverse("admin:casework_workerrequest_changelist")


@pytest.fixture
def filed(unions):
    return {
        "wanted": file_request(name="欧阳建国", employer_name="沁水县顺达货运有限公司", mobile="13900001813",
                               now=at("2026-09-30")),
        "other": file_request(name="李秀英", employer_name="嘉峰煤业", mobile="13900002222", now=at("2026-09-30")),
    }  # fmt: skip


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("term", ["1813", "尾号1813", "139 0000 1813", "欧阳", "顺达", None])
def test_each_kind_of_term_finds_the_request(filed, alice, term):
    term = term or filed["wanted"].reference
    assert pks(request_list(user=alice, search=term)) == {filed["wanted"].pk}, term


def test_the_admin_list_searches_privately_and_says_what_it_takes(filed, alice, client_for):
    client = client_for(alice)
    page = client.get(REQUESTS).content.decode()
    assert 'placeholder="受理编号、姓名、单位名称、手机号或尾号4位"' in page and 'method="post" role="search"' in page
    response = client.post(REQUESTS, {"q": "尾号1813", "_uh_search": "1"})
    assert response.status_code == 302 and "1813" not in response["Location"]
    listed = client.get(response["Location"])
    assert set(listed.context["cl"].result_list.values_list("pk", flat=True)) == {filed["wanted"].pk}
    assert client.get(REQUESTS, {"q": "1813"}).status_code == 302  # an old ?q= address: to a token at once
