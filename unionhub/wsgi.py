"""The WSGI entry point (gunicorn in production, ``runserver`` in ``make run``).

With no broker (``JOB_RUNNER=thread``) there is no Celery beat either, so the web process starts the embedded
scheduler here, once: it runs the scheduled tasks from the same django-celery-beat rows beat reads
(``unionhub.services.schedule``). Tests and management commands never import this module."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhub.settings")
application = get_wsgi_application()

from unionhub.services.schedule import scheduler_start  # noqa: E402 - the apps must be loaded first

if settings.JOB_RUNNER == "thread":
    scheduler_start()
