"""The schema's words are English msgids, read in the site's language (Chinese) when the routers are built:
``summary=zh(_("Nearest stations"))``. The OpenAPI document is then Chinese whoever asks for it."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def zh(text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)
