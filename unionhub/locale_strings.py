"""Strings of Django's own that its Chinese catalogue leaves in English or words otherwise than staff expect
(the many-to-many fields' help, the admin index's empty app): marked here, never called, so that ``make
messages`` keeps their translations in the project's catalogue, which Django prefers to its own."""

from django.utils.translation import gettext_noop

STRINGS = (
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
    gettext_noop("None available"),
)
