import os
import threading
import warnings

import pytest

from tests.services import CHROMIUM, in_ci, missing_services

pytest_plugins = ["tests.personas"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by tests are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SERVICE_MARKERS = ("postgres", "redis", "celery_worker", "browser", "replica")
_not_run: dict[str, list[str]] = {}


# The one stack test that runs in parallel with the rest: it starts stacks of its own (their own PostgreSQL and
# Redis). Every other stack test shares the run's PostgreSQL, Redis and broker - starts Celery workers on the
# broker (a worker started for one test would take another's tasks), stops the services to test faults, holds
# the replica behind a primary nobody else writes to - and is marked ``serial``: run after, alone (Makefile).
STACK_PARALLEL = ("tests/stack/test_newcomer.py",)


def _serial_stack(items) -> None:
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        if path.startswith("tests/stack/") and path not in STACK_PARALLEL:
            item.add_marker(pytest.mark.serial)


@pytest.hookimpl(tryfirst=True)  # before the -m selection (and pytest-xdist) read the marks
def pytest_collection_modifyitems(config, items):
    _serial_stack(items)
    missing = missing_services()
    needed = {marker for item in items for marker in SERVICE_MARKERS if item.get_closest_marker(marker)}
    absent = {marker: why for marker, why in missing.items() if marker in needed}
    if absent and in_ci():
        lines = "; ".join(f"{marker}: {why}" for marker, why in absent.items())
        raise pytest.UsageError(f"CI=true but required services are missing ({lines})")
    for item in items:
        # Counted once, under everything it needs that is missing (a worker test needs PostgreSQL, Redis and a
        # worker: it is not "a postgres test").
        lacking = [marker for marker in absent if item.get_closest_marker(marker)]
        if lacking:
            group = " + ".join(lacking) + f" ({'; '.join(absent[m] for m in lacking)})"
            _not_run.setdefault(group, []).append(item.nodeid)
            item.add_marker(pytest.mark.skip(reason=f"not run here: {'; '.join(absent[m] for m in lacking)}"))


def _random_order_line(config) -> str | None:
    """pytest-randomly shuffles every run (requirements-dev.txt); its seed, and how to run that order again.
    pytest-randomly prints the seed in the header, which ``-q`` (addopts) hides: said here at both ends."""
    seed = getattr(config.option, "randomly_seed", None) if config.pluginmanager.has_plugin("randomly") else None
    if seed is None or not getattr(config.option, "randomly_reorganize", True):
        return None
    return f'Using --randomly-seed={seed} (this order again: make test PYTEST_ARGS="--randomly-seed={seed}")'


def pytest_sessionstart(session):
    line = _random_order_line(session.config)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if line and reporter is not None:
        reporter.write_line(line)


def pytest_sessionfinish(session):
    """In a pytest-xdist worker (``make test`` runs two): hand what the summary reports to the controller."""
    import sys

    output = getattr(session.config, "workeroutput", None)
    if output is None:
        return
    output["not_run"] = _not_run
    matrix = sys.modules.get("tests.unionhub.url_matrix")
    if matrix is not None:
        output["matrix"] = {"covered": sorted(matrix.COVERED), "counts": dict(matrix.COUNTS)}


def pytest_testnodedown(node, error):
    """In the controller: gather each worker's untested services and URL-matrix counts for the summary."""
    output = getattr(node, "workeroutput", {})
    for group, ids in output.get("not_run", {}).items():
        _not_run.setdefault(group, []).extend(ids)
    if "matrix" in output:
        _worker_matrix["covered"].update(output["matrix"]["covered"])
        counts = output["matrix"]["counts"]
        _worker_matrix["requests"] += counts["requests"]
        _worker_matrix["personas"] = max(_worker_matrix["personas"], counts["personas"])


_worker_matrix: dict = {"covered": set(), "requests": 0, "personas": 0}


def pytest_terminal_summary(terminalreporter):
    _matrix_summary(terminalreporter)
    line = _random_order_line(terminalreporter.config)
    if line:
        terminalreporter.write_line(line)
    if not _not_run:
        return
    terminalreporter.section("TESTS NOT RUN: services missing on this machine", sep="!", red=True, bold=True)
    for group, ids in _not_run.items():
        terminalreporter.write_line(f"  {len(ids):4d} tests need {group}", red=True, bold=True)
    terminalreporter.write_line("  .ci/run starts PostgreSQL, Redis and Chromium and runs them all.", red=True)


@pytest.fixture(autouse=True)
def _eager_celery(request, settings):
    """Tasks run in-process unless a test brings a real worker."""
    from unionhub.celery import app

    settings.JOB_RUNNER = "celery"  # jobs go through Celery (eager here), never a background thread
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _background_work_ends_with_the_test():
    """A job or scheduled task a test started in a thread (``JOB_RUNNER=thread``, as ``make run``) ends with the
    test: it never writes into the next test, nor holds a connection when the test database is dropped."""
    before = set(threading.enumerate())
    yield
    for thread in set(threading.enumerate()) - before:
        if thread.name.startswith(("job-", "scheduled-")):
            thread.join(timeout=30)


@pytest.fixture(autouse=True)
def _primary_only(request, settings):
    """Reads go to the primary (the test's transaction) unless a test brings the real replica (``replica``
    marker, tests/unionhub/test_replica.py): a run with DATABASE_REPLICA_URL behaves as one without."""
    if not request.node.get_closest_marker("replica"):
        settings.DATABASE_REPLICA_ALIAS = None


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _own_cache_and_files(tmp_path_factory):
    """Each test process keeps its uploads and exports in a folder of its own, and a pytest-xdist worker
    (``make test`` runs two) its cache in a Redis database of its own: one worker's ``cache.clear()``, rate
    limit or "no file left behind" check never meets the other's. The stack tests that share the run's
    services run after them, alone (``serial``, Makefile)."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.test import override_settings

    changes = {"MEDIA_ROOT": tmp_path_factory.mktemp("media")}
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    location = settings.CACHES["default"].get("LOCATION", "")
    if worker.startswith("gw") and str(location).startswith(("redis://", "rediss://")):
        database = 2 + int(worker[2:])  # 0 is the site's cache and 1 the broker (.ci/with-services)
        own = urlsplit(location)._replace(path=f"/{database}").geturl()
        changes["CACHES"] = {"default": {**settings.CACHES["default"], "LOCATION": own}}
    with override_settings(**changes):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def redis_commands(monkeypatch) -> list[str]:
    """The names of the commands this process sends to Redis from now on, in order (a Redis test's spy)."""
    import redis

    sent: list[str] = []
    original = redis.Redis.execute_command

    def spy(self, *args, **options):
        sent.append(args[0])
        return original(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", spy)
    return sent


@pytest.fixture(scope="session")
def _connections_closed_before_playwright():
    """Requested before Playwright starts (the ``playwright`` fixture below): the test thread's connections
    are closed while they are still its own."""
    from django.db import connections

    connections.close_all()


@pytest.fixture(scope="session")
def playwright(_connections_closed_before_playwright, playwright):
    """pytest-playwright's ``playwright``, with the test thread's database connections closed as it starts
    and stops. Between its calls Playwright's sync API marks its event loop as running in the test thread,
    and Django then keeps that thread's connections per context (``asgiref.local.Local``) rather than per
    thread: the connection the thread opened before the first browser test and the one it opens after would
    both stay open, each idle while the other works (a session left on the test database at the end, and a
    second session of the same thread that a test counting sessions sees)."""
    from django.db import connections

    yield playwright
    connections.close_all()  # the loop is still marked running: the connections of the browser tests' context


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


def _matrix_summary(terminalreporter):
    import sys

    matrix = sys.modules.get("tests.unionhub.url_matrix")
    if matrix is not None and matrix.COUNTS["requests"]:
        covered, counts = matrix.COVERED, matrix.COUNTS
    elif _worker_matrix["requests"]:
        covered, counts = _worker_matrix["covered"], _worker_matrix
    else:
        return
    terminalreporter.write_line(
        f"URL permission matrix: {len(covered)} URLs x {counts['personas']} personas "
        f"(in and out of scope) = {counts['requests']} requests checked",
        green=True,
    )


@pytest.fixture(autouse=True)
def _fresh_admin_menus():
    """The admin site keeps each user's menu for a minute (unionhub.adminsite); a test starts without any."""
    from unionhub.adminsite import UnionAdminSite

    UnionAdminSite._menus.clear()
    yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file in WAL mode with the busy timeout, as ``make run`` has it, not
    Django's default in-memory database with a shared cache: there, a thread reading a table another
    thread is writing (the browser polling a roster job's progress) gets "database table is locked" at
    once instead of waiting, which production never sees. pytest-django's own fixture (requested first) gives
    each pytest-xdist worker a database of its own (``test_unionhub_gw0``…)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Before pytest-django drops the test database: a session some thread still holds on it is reported (its
    query and the threads alive, to find the leak) and ended, so that the drop does not fail."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, backend_start, state_change, client_port, left(query, 160) " + others
        )
        left = cursor.fetchall()
        if left:
            threads = sorted(thread.name for thread in threading.enumerate())
            try:
                held = _connections_held({row[0] for row in left})
            except Exception as error:  # a report must never keep the database from being dropped
                held = [f"not found: {error!r}"]
            warnings.warn(
                f"sessions left on the test database: {left}; threads alive: {threads}; held here by: {held}",
                stacklevel=1,
            )
            cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")


def _connections_held(pids: set[int]) -> list[str]:
    """Which objects of this process hold an open connection to one of ``pids`` (the sessions left): the Django
    connection (its alias, the thread that opened it and whether that thread still runs), to find the test that
    left it; none when another process (a forked child, a server a test started) holds it."""
    import gc

    import psycopg2.extensions
    from django.db.backends.base.base import BaseDatabaseWrapper

    held, objects, alive = [], gc.get_objects(), {thread.ident for thread in threading.enumerate()}
    # type(), not isinstance(): isinstance asks a lazy object (a request's CSP nonce) its __class__, which
    # evaluates it.
    wrappers = {id(w.connection): w for w in objects if issubclass(type(w), BaseDatabaseWrapper) and w.connection}
    for obj in objects:
        if issubclass(type(obj), psycopg2.extensions.connection) and not obj.closed:
            try:
                pid = obj.get_backend_pid()
            except psycopg2.Error:
                continue
            if pid in pids:
                wrapper = wrappers.get(id(obj))
                if wrapper is None:
                    held.append(f"{pid}: a connection opened outside Django")
                else:  # its thread, alive or ended (then the wrapper waits, in reference cycles, for gc)
                    ended = "alive" if wrapper._thread_ident in alive else "ended, the connection not closed"
                    held.append(f"{pid}: Django's {wrapper.alias!r} of thread {wrapper._thread_ident} ({ended})")
    return held or ["no object of this process (another process: a forked child, a server started by a test)"]


@pytest.fixture
def beat_schedule(db):
    """The django-celery-beat rows the migrations create, made again when a transactional test (a browser
    test's flush) removed them before this test ran: tests of the schedule must not depend on the order."""
    from importlib import import_module

    from django.apps import apps as registry
    from django_celery_beat.models import PeriodicTask

    if PeriodicTask.objects.exists():
        return
    for name in (
        "unionhub.migrations.0004_jobs_sweep_schedule",
        "unionhub.migrations.0006_backup_schedule",
        "unionhub.migrations.0010_media_orphans_schedule",
        "stations.migrations.0005_subsidy_beat_schedule",
        "casework.migrations.0002_sweep_schedule",
        "hardship.migrations.0002_applications_evidence",
        "hardship.migrations.0005_rechecks_open_schedule",
        "dashboard.migrations.0002_refresh_schedule",
    ):
        import_module(name).create(registry, None)
