"""The API's own tables: staff tokens (``tokens``) and the mini-program's worker sessions (``workers``)."""

from api.models.tokens import ApiToken
from api.models.workers import MobileCode, WorkerSession

__all__ = ["ApiToken", "MobileCode", "WorkerSession"]
