"""Uploaded files leave with their rows: a photo, an attachment, a roster or an export whose row is deleted
(directly or by a cascade, which never calls ``Model.delete``) has its file removed from storage once the
deletion commits - never before, so a rolled-back deletion keeps its file. Historical (audit) rows never own
a file. Connected for every model of the project's apps in ``UnionhubConfig.ready``."""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import post_delete

log = logging.getLogger(__name__)
PROJECT_APPS = ("unionhub", "stations", "membership", "casework", "dashboard", "outreach", "hardship")


def _file_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def files_delete_on_commit(sender, instance, using="default", **kwargs) -> None:
    stored = [(f.storage, f.name) for f in (getattr(instance, n) for n in _file_fields(sender)) if f and f.name]
    if not stored:
        return

    def remove():
        for storage, name in stored:
            try:
                storage.delete(name)
            except OSError:  # already gone, or the disk refuses: the row is gone either way
                log.warning("could not remove the file %s of a deleted %s", name, sender._meta.label)

    transaction.on_commit(remove, using=using)


def connect() -> None:
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and _file_fields(model) and not hasattr(model, "instance_type"):
            post_delete.connect(files_delete_on_commit, sender=model, dispatch_uid=f"files-{model._meta.label}")
