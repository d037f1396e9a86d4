"""Personal numbers through the production web server: one gunicorn worker with four threads (so every request
shares one set of ModelAdmin objects), county staff and a read-only city user loading the same pages at the
same moment, logged in through the login form. The reader never sees a full number; nor does the access log."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

import pytest

from tests.stack import processes
from tests.unionhub.test_personal_concurrency import HIDDEN, ROUNDS, _pages, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _logged_in(base: str, username: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/admin/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": "pw", "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/admin/login/?next=/admin/", data=data, headers={"Referer": base})
    assert "/admin/login/" not in opener.open(request, timeout=30).geturl()
    return opener


def test_a_threaded_worker_never_shows_the_reader_a_full_number(people, stack_logs, stack_env, started):
    pages = _pages(people)
    # Plain HTTP on loopback: the cookies may not be Secure-only here (a browser on localhost would send them).
    web, base = processes.start_web(stack_logs, env={**stack_env, "SECURE_COOKIES": "false"}, workers=1, threads=4)
    started.append(web)
    openers = {name: _logged_in(base, name) for name in ("alice", "carol")}
    start = threading.Barrier(4)
    seen = []

    def browse(name):
        start.wait(timeout=60)
        for _ in range(ROUNDS):
            for url in pages:
                with openers[name].open(f"{base}{url}", timeout=60) as response:
                    text = response.read().decode()
                seen.append((name, url, [s for s in HIDDEN if s in text]))

    errors = run_at_once(browse, ("alice", "carol", "alice", "carol"))
    assert not errors, errors
    assert len(seen) == 4 * ROUNDS * len(pages)
    leaks = [entry for entry in seen if entry[2]]
    assert not leaks, leaks[:10]
    assert not [s for s in HIDDEN if s in web.output()]
