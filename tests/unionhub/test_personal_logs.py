"""No log line holds a full resident ID or mobile number: Django's handlers and gunicorn's access log."""

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus

from django.conf import settings

from tests.unionhub.test_personal import full_numbers_in, search_forms
from unionhub.personal import mask_text as mask_numbers
from unionhub.personal.logs import MaskPersonalNumbers

RID = "140521199005170158"
MOBILE = "13912345678"
ROOT = Path(__file__).resolve().parents[2]


def test_it_masks_ids_and_mobiles_but_leaves_other_numbers_whole():
    text = mask_numbers(f"GET /admin/?q={RID}&m={MOBILE}&card=1405212025000001 t=1767225600123")
    assert RID not in text and MOBILE not in text
    assert "140521********0158" in text and "139****5678" in text
    assert "1405212025000001" in text and "1767225600123" in text


def test_every_configured_handler_has_the_filter():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "mask_personal_numbers" in handler.get("filters", []), name
    assert settings.LOGGING["filters"]["mask_personal_numbers"]["()"] == "unionhub.personal.logs.MaskPersonalNumbers"


def test_a_logged_message_with_arguments_and_a_traceback_is_masked():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "search %s by %s", (RID, MOBILE), None)
    try:
        raise ValueError(f"bad {RID}")
    except ValueError:
        record.exc_info = sys.exc_info()
    MaskPersonalNumbers().filter(record)
    line = logging.Formatter().format(record)
    assert RID not in line and MOBILE not in line


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_gunicorn_access_log_masks_the_query_string(tmp_path):
    port = _free_port()
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "unionhub.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--access-logfile", "-"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # The forms the admin search takes, as a browser sends them in a query string.
    queries = [f"q={RID}&mobile={MOBILE}", *(f"q={quote_plus(form)}" for form in search_forms())]
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/?{queries[0]}", timeout=10)
                break
            except urllib.error.HTTPError:  # an answer all the same
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not answer")
        for query in queries[1:]:
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/?{query}", timeout=10)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert "/admin/login/?q=" in output, output
    assert output.count("?q=") >= len(queries), output  # every request reached the log (one may be retried)
    assert not full_numbers_in(output), output
    # The search term is blanked whole (a caller's "尾号1813" or an ID's first digits is personal too); the
    # other parameters keep their numbers masked.
    assert "?q=***&mobile=" in output and "140521********0158" not in output
