"""Uploaded files that no row owns: removed by a daily job once they are a day old.

A file is written before its row is committed (Django's storage saves it first); if the request then fails
- the database refused the row, the process was killed, the disk filled up half-way through a second file -
the file stays with no row pointing at it. ``media_orphans_sweep`` removes every file under ``MEDIA_ROOT``
that no ``FileField`` of the project's models names and that was last written more than ``older_than`` ago
(a day by default: an upload being saved right now is never touched)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from unionhub.files import PROJECT_APPS

log = logging.getLogger(__name__)
ORPHAN_AGE = dt.timedelta(days=1)


def media_referenced() -> set[str]:
    """Every file name a row of the project's models holds (historical rows hold none of their own)."""
    names: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or hasattr(model, "instance_type"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
                names.update(rows.values_list(field.name, flat=True).iterator(chunk_size=5000))
    return names


def media_orphans_sweep(*, older_than: dt.timedelta = ORPHAN_AGE, root: Path | None = None) -> dict[str, int]:
    """Remove the files under ``MEDIA_ROOT`` that no row names and that are older than ``older_than``."""
    root = Path(root or settings.MEDIA_ROOT)
    if not root.is_dir():
        return {"removed": 0, "bytes": 0}
    referenced = media_referenced()
    cutoff = time.time() - older_than.total_seconds()
    removed = size = 0
    for directory, _dirs, files in os.walk(root):
        for filename in files:
            path = Path(directory, filename)
            name = path.relative_to(root).as_posix()
            try:
                stat = path.lstat()
            except FileNotFoundError:
                continue
            if name in referenced or stat.st_mtime > cutoff:
                continue
            try:
                path.unlink()
            except OSError:
                log.warning("could not remove the orphaned upload %s", name)
                continue
            removed, size = removed + 1, size + stat.st_size
            log.info("removed the orphaned upload %s (%s bytes)", name, stat.st_size)
    return {"removed": removed, "bytes": size}
