"""The one validator for invisible characters in names."""

import pytest
from django.core.exceptions import ValidationError

from unionhub.validators import validate_visible_text

INVISIBLE_NAMES = [
    "王\u200b芳",  # zero-width space
    "王\u200d芳",  # zero-width joiner
    "\u202e芳王",  # right-to-left override
    "王芳\u2066",  # left-to-right isolate
    "\ufeff王芳",  # BOM
    "王\x07芳",  # a control character
]


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_it_refuses_invisible_and_direction_characters(name):
    with pytest.raises(ValidationError) as refused:
        validate_visible_text(name)
    assert refused.value.code == "invisible"


@pytest.mark.parametrize("name", ["王芳", "欧阳·娜娜", "阿卜杜热合曼·买买提", "Zhang Wei"])
def test_it_accepts_ordinary_names(name):
    validate_visible_text(name)
