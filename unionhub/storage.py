"""The file storage of uploads: Django's ``FileSystemStorage`` that never leaves a partial file behind.

A write that fails half-way - the disk full (``ENOSPC``), a quota (``EDQUOT``, ``EFBIG``), any I/O error -
removes the file it had started and raises :class:`UploadWriteError`, whose ``message`` says in Chinese
what happened; the upload forms show it beside the file field (``membership.services.roster``,
``stations.services.logs``). Files written by an upload that was then abandoned (the row was never
committed) are removed by the daily orphan sweep (``unionhub.services.media.media_orphans_sweep``)."""

from __future__ import annotations

import contextlib
import errno
import os
import threading

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class UploadWriteError(OSError):
    """A file could not be written to the uploads' storage; nothing of it is left there."""

    @property
    def message(self) -> str:
        if self.errno in NO_SPACE:
            return _(
                "The server has no room to store this file (its disk or quota is full); nothing was saved. "
                "Try again later, and tell the system administrator."
            )
        return _(
            "The server could not store this file (a write error); nothing was saved. "
            "Try again, and tell the system administrator if it happens again."
        )


class SafeFileSystemStorage(FileSystemStorage):
    _writing = threading.local()

    def path(self, name):
        full = super().path(name)
        if getattr(self._writing, "active", False):
            self._writing.path = full  # the file ``_save`` is about to create (it opens with O_EXCL)
        return full

    def _save(self, name, content):
        self._writing.active, self._writing.path = True, None
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise
        except OSError as exc:
            started = self._writing.path
            if started and os.path.lexists(started):
                with contextlib.suppress(OSError):
                    os.remove(started)
            raise UploadWriteError(exc.errno, exc.strerror or str(exc), started) from exc
        finally:
            self._writing.active, self._writing.path = False, None
