"""Casework models, one module per capability, re-exported here."""

from casework.models.agreements import Agreement, Instalment
from casework.models.calendar import CalendarOverride, CalendarYear, TimeLimit
from casework.models.mediation import CaseMediator, ClaimItem, MediationCase, Meeting, Party
from casework.models.requests import Referral, RequestAttachment, RequestEvent, UnionHandler, WorkerRequest

__all__ = [
    "Agreement",
    "CalendarOverride",
    "CalendarYear",
    "CaseMediator",
    "ClaimItem",
    "Instalment",
    "MediationCase",
    "Meeting",
    "Party",
    "Referral",
    "RequestAttachment",
    "RequestEvent",
    "TimeLimit",
    "UnionHandler",
    "WorkerRequest",
]
