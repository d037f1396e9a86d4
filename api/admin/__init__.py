"""The API's admin: staff tokens, created (the secret shown once) and revoked here."""

from api.admin import tokens  # noqa: F401 - registers the ModelAdmin
