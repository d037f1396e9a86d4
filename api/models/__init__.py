"""The API's own tables: staff tokens (``tokens``), the mini-program's worker sessions (``workers``) and the
tombstones of deleted rows the changes export reports (``deletions``)."""

from api.models.deletions import Deletion, DeletionReader
from api.models.tokens import ApiToken
from api.models.workers import MobileCode, WorkerSession

__all__ = ["ApiToken", "Deletion", "DeletionReader", "MobileCode", "WorkerSession"]
