import pytest

from tests.hardship.factories import criteria


@pytest.fixture
def qinshui(regions):
    """沁水县's criteria for 2026: 700 yuan a month; deep below 700, relative below 1,050 per head."""
    return criteria("140521")
