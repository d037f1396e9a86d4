import pytest


@pytest.fixture(autouse=True)
def _fresh_join_sources():
    """The join page caches QR sources per process; each test starts with its own database rows."""
    from membership.views import source_cache_clear

    source_cache_clear()
    yield
    source_cache_clear()
