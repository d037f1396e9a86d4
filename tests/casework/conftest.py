import pytest

from tests.casework.factories import hierarchy


@pytest.fixture
def unions(regions):
    """沁水县: city > county > town (嘉峰镇) > one grassroots union."""
    return hierarchy()
