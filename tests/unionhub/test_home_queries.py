"""The home page (workbench and admin index) asks the database a fixed handful of times, whatever the role:
every to-do is counted in one statement (issue 31: ≤ 8 queries a page)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8


@pytest.mark.parametrize("persona", ["alice", "carol", "dave", "erin", "hank", "root"])
def test_the_home_page_stays_within_eight_queries(persona, people, client_for):
    client = client_for(people[persona])
    assert client.get("/admin/").status_code == 200  # sessions and caches warm, as for every later visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/")
    assert response.status_code == 200
    assert len(queries) <= MAX_QUERIES, "\n".join(q["sql"][:200] for q in queries.captured_queries)
