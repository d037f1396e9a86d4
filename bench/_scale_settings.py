"""Settings for the gunicorn that ``bench admin_scale`` serves: the project's, with the bench's URLconf."""

from unionhub.settings import *  # noqa: F403

ROOT_URLCONF = "bench._scale_urls"
